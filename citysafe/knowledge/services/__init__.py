"""Writes of the knowledge base, one module per subject; each checks the actor's role, runs
in one transaction, keeps the search index in step and writes the audit record."""
