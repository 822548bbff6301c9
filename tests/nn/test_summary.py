import saessak
import saessak.nn as nn


def test_summary_lists_layers_shapes_and_counts():
    model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(6 * 14 * 14, 10), nn.BatchNorm1d(10))
    model.train()
    printed = []
    text = model.summary((1, 28, 28), print_fn=printed.append)
    assert printed == [text]
    rows = [line.split() for line in text.splitlines() if line.split()[0].rsplit("-", 1)[-1].isdigit()]
    assert [r[0] for r in rows] == ["Conv2d-1", "ReLU-2", "MaxPool2d-3", "Flatten-4", "Linear-5", "BatchNorm1d-6"]
    assert rows[0][-1] == "156" and rows[4][-1] == "11,770" and rows[5][-1] == "20"
    assert "[-1, 6, 14, 14]" in text and "[-1, 1176]" in text
    assert f"Total params: {6 * 26 + 1176 * 10 + 10 + 20:,}" in text and "Non-trainable params: 0" in text
    assert model.training and model[5].num_batches_tracked.item() == 0  # the pass changed nothing


def test_summary_with_input_data_and_several_outputs():
    lstm = nn.LSTM(3, 4)
    text = lstm.summary(input_data=saessak.zeros(5, 2, 3), print_fn=None)
    assert "LSTM-1" in text and "[-1, 2, 4]" in text and f"Total params: {4 * 4 * (3 + 4 + 2):,}" in text
