"""Every Chinese sentence the core produces, one module per area."""
