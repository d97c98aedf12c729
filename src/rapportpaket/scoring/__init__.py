"""Stage 2, scoring: the method (method.md) computed once into the results model.

pandas stays inside this stage; what leaves it is `scoring.results`.
"""
