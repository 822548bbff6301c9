"""jacobian, hessian, vjp, jvp (filled in by the autograd.functional work)."""
