# PyTorch reference for bench/trainBench.ts: trains the same char model
# (embedding 64 -> nn.LSTM -> Linear, Adam, global-norm clip 5) on random ids
# with truncated BPTT (state carried, detached) and prints one JSON line
# {"threads", "charsPerSecond", "steps", "loss"}.
# Run with OPENBLAS_NUM_THREADS=1 (and OPENBLAS_CORETYPE=SkylakeX here), as
# bench/trainBench.ts does: PyTorch's best configuration on this machine.
import argparse, json, time
import torch

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--seconds', type=float, default=8.0)
ap.add_argument('--layers', type=int, default=1)
ap.add_argument('--hidden', type=int, default=256)
ap.add_argument('--embedding', type=int, default=64)
ap.add_argument('--vocab', type=int, default=100)
ap.add_argument('--batch', type=int, default=32)
ap.add_argument('--seq', type=int, default=100)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(a.vocab, a.embedding)
        self.rnn = torch.nn.LSTM(a.embedding, a.hidden, num_layers=a.layers)
        self.out = torch.nn.Linear(a.hidden, a.vocab)
    def forward(self, x, state):
        h, state = self.rnn(self.emb(x), state)
        return self.out(h), state

m = Model()
opt = torch.optim.Adam(m.parameters(), lr=2e-3)
data = torch.randint(0, a.vocab, (a.seq + 1, a.batch))
state = None

def step():
    global state
    x, y = data[:-1], data[1:]
    logits, state = m(x, state)
    state = tuple(s.detach() for s in state)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, a.vocab), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 5.0)
    opt.step()
    return loss.item()

for _ in range(3):
    step()
t0 = time.perf_counter()
n = 0
while True:
    loss = step()
    n += 1
    dt = time.perf_counter() - t0
    if dt >= a.seconds and n >= 3:
        break
print(json.dumps({'threads': a.threads, 'charsPerSecond': n * a.seq * a.batch / dt, 'steps': n, 'loss': loss}))
