# Test helper for train.test.ts: PyTorch's own activations for a text, from a
# checkpoint written by scripts/torch/train.py, to compare with `lstm-lens run`.
# Steps the network one character at a time from a zero state and prints one
# JSON object: {"ids": [...], "layers": [{"h": [[H floats] per char], "c": ...}]}
# (c for LSTM only). Usage: torchActivations.py CHECKPOINT.pt TEXT_FILE
import importlib.util
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.join(HERE, '..', '..', '..', '..', 'scripts', 'torch', 'train.py')
spec = importlib.util.spec_from_file_location('train', TRAIN)
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)

ckpt = torch.load(sys.argv[1], map_location='cpu')
shape = ckpt['shape']
chars = ckpt['chars']
net = train.CharNet(shape['kind'], len(chars), shape['embedding'], shape['hidden'], shape['layers'], 0.0).eval()
net.load_state_dict(ckpt['weights'])
with open(sys.argv[2], encoding='utf-8') as f:
    text = f.read()
index = {c: k for k, c in enumerate(chars)}
ids = [index.get(c, chars.index(train.UNKNOWN)) for c in text]
lstm = shape['kind'] == 'lstm'
layers = [{'h': [], **({'c': []} if lstm else {})} for _ in range(shape['layers'])]
state = None
with torch.no_grad():
    for i in ids:
        _, state = net(torch.tensor([[i]]), state)
        h, c = state if lstm else (state, None)
        for k, layer in enumerate(layers):
            layer['h'].append(h[k, 0].tolist())
            if lstm:
                layer['c'].append(c[k, 0].tolist())
print(json.dumps({'ids': ids, 'layers': layers}))
