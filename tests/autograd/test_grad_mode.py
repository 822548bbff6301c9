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


def test_nesting_restores_each_level():
    with saessak.no_grad():
        with saessak.enable_grad():
            with saessak.set_grad_enabled(False):
                innermost = saessak.is_grad_enabled()
            middle = saessak.is_grad_enabled()
        outer = saessak.is_grad_enabled()
    assert (innermost, middle, outer, saessak.is_grad_enabled()) == (False, True, False, True)


def test_decorated_generators_keep_the_mode_inside_their_body():
    @saessak.no_grad()
    def steps():
        yield saessak.is_grad_enabled()
        yield saessak.is_grad_enabled()

    generator = steps()
    assert next(generator) is False
    assert saessak.is_grad_enabled()  # between steps the caller's mode is back
    assert next(generator) is False
    assert list(steps()) == [False, False]


def test_grad_mode_is_per_thread():
    import threading

    seen = []
    with saessak.no_grad():
        worker = threading.Thread(target=lambda: seen.append(saessak.is_grad_enabled()))
        worker.start()
        worker.join()
    assert seen == [True]


def test_in_place_under_no_grad_keeps_a_leaf_a_leaf():
    w = saessak.ones(2, requires_grad=True)
    with saessak.no_grad():
        w.mul_(3.0)
    assert w.is_leaf and w.requires_grad and w.grad_fn is None and w._version == 1
    (w * w).sum().backward()
    assert w.grad.tolist() == [6.0, 6.0]


def test_backward_still_works_inside_no_grad():
    x = saessak.ones(2, requires_grad=True)
    y = (x * x).sum()
    with saessak.no_grad():
        y.backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_decorators_keep_names_and_work_on_methods():
    class Model:
        @saessak.no_grad()
        def predict(self, t):
            """Predict."""
            return t * 2

    assert Model.predict.__name__ == "predict" and Model.predict.__doc__ == "Predict."
    assert not Model().predict(saessak.ones(1, requires_grad=True)).requires_grad
    with saessak.inference_mode(False):
        assert saessak.is_grad_enabled() and not saessak.autograd.is_inference_mode_enabled()


def test_is_inference_mode_enabled_is_public():
    assert not saessak.is_inference_mode_enabled()
    with saessak.inference_mode():
        assert saessak.is_inference_mode_enabled()
    assert not saessak.is_inference_mode_enabled()
