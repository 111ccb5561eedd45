"""Supervision of instruments in service (legal metrology): meter fleets, lot formation, in-service
sampling inspections and state-based extension (状态轮换), compulsory verification, risk screening.

The pure modules (:mod:`.lots`, :mod:`.draw`, :mod:`.rules`, :mod:`.deadlines`, :mod:`.forecast`)
import neither Django nor the database and are tested on plain arrays.
"""
