"""The autograd examples of the seed material, reproduced with saessak (outputs in the comments)."""

import saessak as torch

# z = 5w^2 + 3 at w = 2: dz/dw = 10w = 20
w = torch.tensor(2.0, requires_grad=True)
z = 5 * w**2 + 3
z.backward()
print(z)          # tensor(23., grad_fn=<AddBackward0>)
print(w.grad)     # tensor(20.)

# d/dx x^3 at 1 is 3, and the second derivative is 6
x = torch.tensor(1.0, requires_grad=True)
y = x**3
(first,) = torch.autograd.grad(y, x, create_graph=True)
(second,) = torch.autograd.grad(first, x)
print(first, second)   # tensor(3., grad_fn=<MulBackward0>) tensor(6.)

# out = mean((x + 2)^3) for a 2x2 of ones: every gradient is 3 * 3^2 / 4 = 6.75; twice accumulates to 13.5
x = torch.ones(2, 2, requires_grad=True)
out = ((x + 2) ** 3).mean()
out.backward(retain_graph=True)
print(x.grad)     # tensor([[6.7500, 6.7500], [6.7500, 6.7500]])
out.backward()
print(x.grad)     # tensor([[13.5000, 13.5000], [13.5000, 13.5000]])

# a vector output needs the vector v of the vector-Jacobian product: y = 2x gives 2v
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)     # tensor([2.0000e-01, 2.0000e+00, 2.0000e-04])
