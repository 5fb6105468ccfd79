"""The evaluation of an edition's entries, as named actions (one module per step).

Every state change is a function here, atomic, with keyword-only arguments; views call them and
turn the exceptions of ``errors`` into messages and status codes.
"""
