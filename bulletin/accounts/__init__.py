"""The workbench's accounts: who may sign in, their roles, sessions and the audit trail (store.py)."""
