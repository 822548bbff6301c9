import saessak


def test_no_grad_records_nothing_and_restores():
    x = saessak.ones(2, requires_grad=True)
    with saessak.no_grad():
        y = x * 2
        assert not saessak.is_grad_enabled()
    assert saessak.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_enable_grad_inside_no_grad():
    x = saessak.ones(2, requires_grad=True)
    with saessak.no_grad():
        with saessak.enable_grad():
            y = x * 2
    assert y.requires_grad


def test_set_grad_enabled_as_call_context_and_decorator():
    x = saessak.ones(2, requires_grad=True)
    with saessak.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert saessak.is_grad_enabled()
    saessak.set_grad_enabled(False)
    assert not saessak.is_grad_enabled()
    saessak.set_grad_enabled(True)

    @saessak.set_grad_enabled(False)
    def f():
        return x * 2

    assert saessak.is_grad_enabled()
    assert not f().requires_grad


def test_decorators_and_inference_mode():
    x = saessak.ones(2, requires_grad=True)

    @saessak.no_grad()
    def predict(t):
        return t * 3

    assert not predict(x).requires_grad
    assert saessak.is_grad_enabled()
    with saessak.inference_mode():
        assert saessak.autograd.is_inference_mode_enabled()
        assert not (x + 1).requires_grad
    assert not saessak.autograd.is_inference_mode_enabled()

    @saessak.inference_mode()
    def g(t):
        return t * 2

    assert not g(x).requires_grad


def test_exceptions_restore_the_mode():
    try:
        with saessak.no_grad():
            raise ValueError
    except ValueError:
        pass
    assert saessak.is_grad_enabled()


def test_bare_decorators():
    x = saessak.ones(2, requires_grad=True)

    @saessak.no_grad
    def f(t):
        return t * 2

    @saessak.inference_mode
    def g(t):
        return t * 2

    assert not f(x).requires_grad and not g(x).requires_grad
    assert saessak.is_grad_enabled()
