"""Bundled XML Schemas: PTB DCC 2.4.0-3.3.0, D-SI 1.3.1-2.2.1, QUDT stub, XML-DSig (DTD-free).

Provenance and licences: ``NOTICE.md`` in this folder.
"""
