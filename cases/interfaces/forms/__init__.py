"""Forms, one module per audience area."""
