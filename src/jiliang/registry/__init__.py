"""The metrology registry: institutions, people and qualifications, measurement standards,
reference materials, instruments, technical specifications and their catalogues."""
