"""Services: the operations a person performs (validate, then write in one transaction)."""
