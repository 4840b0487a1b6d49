#!/usr/bin/env python3
"""Trains an LSTM Lens character model with PyTorch, on GPUs and across
machines, and exports it as an ONNX file that LSTM Lens opens as its own.

The architecture is the one our trainer builds (src/core/training):
  ids -> Embedding(V, E) (or one-hot when E = 0) -> L layers of nn.LSTM / nn.GRU /
  nn.RNN(tanh), H units -> Linear(H, V)
trained by truncated BPTT: B streams each read their own contiguous slice of
the corpus, T characters a step, state carried (detached) from step to step;
Adam, global-norm clipping, optional dropout between layers. The vocabulary
follows src/core/model/vocab.ts buildVocabulary: the most frequent code points
(at most --vocab-size entries), always '\\n' and ' ', plus U+FFFD for unknowns,
in code point order. Files are held out by file, never by line.

One process:   python3 scripts/torch/train.py --files corpus/ --out model.onnx --steps 2000
Many GPUs:     torchrun --nproc_per_node 8 scripts/torch/train.py --files corpus/ --out model.onnx ...
Many machines: torchrun --nnodes 4 --node_rank K --master_addr HOST --nproc_per_node 8 scripts/torch/train.py ...
Under torchrun each process trains its own B streams over its own part of the
corpus with DistributedDataParallel (NCCL on CUDA, Gloo on CPU); rank 0
validates, keeps the best weights and exports.

--prepared DIR reads an encoded corpus instead of text files: vocab.json
({"chars": [...], "unknownId": k}), train.ids and val.ids (little-endian int32).
bench/qualityBench.ts uses it to train PyTorch on exactly our ids.

The last line printed is one JSON object: val_bits_per_char, steps, chars,
seconds, out.
"""
import argparse
import copy
import json
import math
import os
import random
import sys
import time

import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

UNKNOWN = '\ufffd'
warnings.filterwarnings('ignore', module='torch.onnx')  # exporter notes on shapes it leaves dynamic
TEXT_EXTENSIONS = {
    '.c', '.h', '.cc', '.cpp', '.hpp', '.py', '.js', '.mjs', '.cjs', '.ts', '.tsx', '.jsx', '.go', '.rs', '.java',
    '.sh', '.bash', '.md', '.txt', '.json', '.css', '.html', '.sql', '.rb', '.lua', '.toml', '.yaml', '.yml',
}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument('--files', nargs='+', help='text files or folders (searched for source and text files)')
    src.add_argument('--prepared', help='folder with vocab.json, train.ids, val.ids')
    ap.add_argument('--out', required=True,
                    help='ONNX model written at every improvement on held-out text, its PyTorch checkpoint beside it (OUT.pt)')
    ap.add_argument('--init', help='continue from a checkpoint (OUT.pt of an earlier run): its shape and vocabulary')
    ap.add_argument('--kind', choices=['lstm', 'gru', 'rnn'], default='lstm')
    ap.add_argument('--layers', type=int, default=1)
    ap.add_argument('--hidden', type=int, default=256)
    ap.add_argument('--embedding', type=int, default=64, help='0 = one-hot input')
    ap.add_argument('--vocab-size', type=int, default=100)
    ap.add_argument('--seq', type=int, default=100, help='T, characters per step and stream')
    ap.add_argument('--batch', type=int, default=32, help='B, streams per process')
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--lr-decay', type=float, default=1.0, help='learning rate times this every 1000 steps')
    ap.add_argument('--clip', type=float, default=5.0, help='global gradient norm (0 = off)')
    ap.add_argument('--dropout', type=float, default=0.0, help='between layers')
    ap.add_argument('--steps', type=int, help='stop after this many steps')
    ap.add_argument('--seconds', type=float, help='stop after this much wall time')
    ap.add_argument('--eval-every', type=int, default=200, help='steps between validations')
    ap.add_argument('--max-val-chars', type=int, default=200_000)
    ap.add_argument('--val-fraction', type=float, default=0.1)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--threads', type=int, help='CPU threads (torch.set_num_threads)')
    ap.add_argument('--device', default='auto', help='auto (cuda when present), cpu, cuda')
    a = ap.parse_args(argv)
    if a.steps is None and a.seconds is None:
        ap.error('give --steps or --seconds')
    for name in ('layers', 'hidden', 'seq', 'batch', 'eval_every', 'max_val_chars'):
        if getattr(a, name) < 1:
            ap.error(f'--{name.replace("_", "-")} must be >= 1')
    if a.embedding < 0:
        ap.error('--embedding must be >= 0')
    if a.vocab_size < 3:
        ap.error("--vocab-size must be >= 3 ('\\n', ' ' and the unknown entry)")
    if not 0 < a.val_fraction < 1:
        ap.error('--val-fraction must be in (0, 1)')
    return a


# ---- corpus -----------------------------------------------------------------

def list_files(paths):
    found = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith('.') and d != 'node_modules')
                found += [os.path.join(root, n) for n in sorted(names) if os.path.splitext(n)[1] in TEXT_EXTENSIONS]
        elif os.path.isfile(p):
            found.append(p)
        else:
            sys.exit(f'train.py: {p}: no such file or folder')
    return found


def read_texts(paths):
    texts = []
    for p in paths:
        with open(p, 'rb') as f:
            raw = f.read()
        if b'\0' in raw[:8192]:
            continue  # binary
        texts.append((p, raw.decode('utf-8', errors='replace').replace('\r\n', '\n').replace('\r', '\n')))
    if not texts:
        sys.exit('train.py: no text files found')
    return texts


def build_vocabulary(texts, max_size):
    counts = {}
    for _, t in texts:
        for ch in t:
            counts[ch] = counts.get(ch, 0) + 1
    chosen = {'\n', ' ', UNKNOWN}
    ranked = sorted((c for c in counts if c not in chosen and not 0xD800 <= ord(c) <= 0xDFFF),
                    key=lambda c: (-counts[c], ord(c)))
    for c in ranked:
        if len(chosen) >= max_size:
            break
        chosen.add(c)
    chars = sorted(chosen, key=ord)
    return chars, chars.index(UNKNOWN)


def encode(texts, chars, unknown_id):
    index = {c: k for k, c in enumerate(chars)}
    ids = []
    for _, t in texts:
        ids += [index.get(c, unknown_id) for c in t]
        if not t.endswith('\n'):
            ids.append(index['\n'])
    return torch.tensor(ids, dtype=torch.long)


def split_by_file(texts, fraction, seed):
    if len(texts) < 2:
        sys.exit('train.py: need at least 2 files to hold some out by file')
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    total = sum(len(t) for _, t in texts)
    held, val = 0, set()
    for j in order:
        if val and held >= fraction * total or len(val) == len(texts) - 1:
            break
        val.add(j)
        held += len(texts[j][1])
    return [t for j, t in enumerate(texts) if j not in val], [t for j, t in enumerate(texts) if j in val]


def read_ids(path):
    with open(path, 'rb') as f:
        raw = f.read()
    return torch.frombuffer(bytearray(raw), dtype=torch.int32).long()


def load_corpus(a):
    if a.prepared:
        with open(os.path.join(a.prepared, 'vocab.json')) as f:
            v = json.load(f)
        if getattr(a, 'vocab_chars', None) and a.vocab_chars != v['chars']:
            sys.exit(f'train.py: --init has another vocabulary than {a.prepared}/vocab.json')
        return v['chars'], v['unknownId'], read_ids(os.path.join(a.prepared, 'train.ids')), \
            read_ids(os.path.join(a.prepared, 'val.ids')), {'prepared': a.prepared}
    texts = read_texts(list_files(a.files))
    train, val = split_by_file(texts, a.val_fraction, a.seed)
    if getattr(a, 'vocab_chars', None):
        chars = a.vocab_chars
        unknown_id = chars.index(UNKNOWN)
    else:
        chars, unknown_id = build_vocabulary(train, a.vocab_size)
    summary = {'trainFiles': len(train), 'validationFiles': len(val),
               'trainChars': sum(len(t) for _, t in train), 'validationChars': sum(len(t) for _, t in val)}
    return chars, unknown_id, encode(train, chars, unknown_id), encode(val, chars, unknown_id), summary


# ---- model ------------------------------------------------------------------

class CharNet(nn.Module):
    def __init__(self, kind, V, E, H, layers, dropout):
        super().__init__()
        self.V = V
        self.emb = nn.Embedding(V, E) if E > 0 else None
        rnn = {'lstm': nn.LSTM, 'gru': nn.GRU, 'rnn': nn.RNN}[kind]
        self.rnn = rnn(E if E > 0 else V, H, num_layers=layers, dropout=dropout if layers > 1 else 0.0)
        self.out = nn.Linear(H, V)

    def forward(self, ids, state=None):  # ids (T, B) -> logits (T, B, V), state
        x = self.emb(ids) if self.emb is not None else F.one_hot(ids, self.V).float()
        y, state = self.rnn(x, state)
        return self.out(y), state


class Streams:
    """B streams over one id sequence, as src/core/training/textBatches.ts: each
    reads its own slice, wraps at its end and then starts from a zero state."""

    def __init__(self, ids, T, B):
        self.ids, self.T, self.B = ids, T, B
        self.slice = len(ids) // B
        if self.slice < T + 1:
            sys.exit(f'train.py: text too short: {len(ids)} characters give {B} streams of {self.slice}, '
                     f'need at least T + 1 = {T + 1} each')
        self.pos = [0] * B

    def next(self):
        resets = []
        starts = []
        for b in range(self.B):
            if self.pos[b] + self.T + 1 > self.slice:
                self.pos[b] = 0
                resets.append(b)
            starts.append(b * self.slice + self.pos[b])
            self.pos[b] += self.T
        at = torch.tensor(starts)[None, :] + torch.arange(self.T + 1)[:, None]  # (T+1, B)
        window = self.ids[at]
        return window[:-1], window[1:], resets


def zero_streams(state, streams):
    if state is None or not streams:
        return state
    parts = state if isinstance(state, tuple) else (state,)
    for s in parts:
        s[:, streams] = 0
    return state


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


@torch.no_grad()
def bits_per_char(net, ids, T, B, device):
    """Held-out bits/char: B streams over the text, state carried, as our evaluator."""
    net.eval()
    B = max(1, min(B, (len(ids) - 1) // (T + 1)))
    streams = Streams(ids, T, B)
    steps = (streams.slice - 1) // T
    state, total = None, 0.0
    for _ in range(steps):
        x, y, _ = streams.next()
        logits, state = net(x.to(device), state)
        total += F.cross_entropy(logits.reshape(-1, net.V), y.to(device).reshape(-1)).item()
    net.train()
    return total / steps / math.log(2)


# ---- export -----------------------------------------------------------------

def export_onnx(net, path, chars, unknown_id, metadata):
    import onnx  # only the exporting process needs it
    net = copy.deepcopy(net).cpu().eval()  # the training copy stays where it is
    ids = torch.zeros(8, 1, dtype=torch.long)
    tmp = path + '.tmp'
    torch.onnx.export(net, (ids,), tmp, input_names=['ids'], output_names=['logits'], opset_version=14,
                      dynamic_axes={'ids': {0: 'T'}, 'logits': {0: 'T'}})
    m = onnx.load(tmp)
    del m.metadata_props[:]
    entries = {'lstm_lens.vocab': json.dumps(chars), 'lstm_lens.unknown_id': str(unknown_id), **metadata}
    for k, v in entries.items():
        m.metadata_props.add(key=k, value=v)
    onnx.save(m, tmp)
    os.replace(tmp, path)  # a reader never sees half a file


def save_checkpoint(net, path, a, chars):
    tmp = path + '.tmp'
    shape = {k: getattr(a, k) for k in ('kind', 'layers', 'hidden', 'embedding')}
    torch.save({'shape': shape, 'chars': chars, 'weights': {k: v.cpu() for k, v in net.state_dict().items()}}, tmp)
    os.replace(tmp, path)


# ---- training ---------------------------------------------------------------

def main(argv=None):
    a = parse_args(argv)
    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    cuda = torch.cuda.is_available() if a.device == 'auto' else a.device == 'cuda'
    if distributed:
        torch.distributed.init_process_group('nccl' if cuda else 'gloo')
    rank = torch.distributed.get_rank() if distributed else 0
    world = torch.distributed.get_world_size() if distributed else 1
    local = int(os.environ.get('LOCAL_RANK', '0'))
    device = torch.device(f'cuda:{local}' if cuda else 'cpu')
    if cuda:
        torch.cuda.set_device(device)
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    init = torch.load(a.init, map_location='cpu') if a.init else None
    if init:  # the checkpoint's shape and vocabulary win over the flags
        for k in ('kind', 'layers', 'hidden', 'embedding'):
            setattr(a, k, init['shape'][k])
        a.vocab_chars = init['chars']
    chars, unknown_id, train_ids, val_ids, summary = load_corpus(a)
    V = len(chars)
    # Every process reads its own contiguous part of the training ids.
    part = len(train_ids) // world
    mine = train_ids[rank * part:(rank + 1) * part]
    val_ids = val_ids[:a.max_val_chars]
    net = CharNet(a.kind, V, a.embedding, a.hidden, a.layers, a.dropout)
    if init:
        net.load_state_dict(init['weights'])
    net = net.to(device)
    model = nn.parallel.DistributedDataParallel(net, device_ids=[local] if cuda else None) if distributed else net
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: a.lr_decay ** (s / 1000))
    streams = Streams(mine, a.seq, a.batch)
    settings = {k: getattr(a, k) for k in ('kind', 'layers', 'hidden', 'embedding', 'seq', 'batch', 'lr', 'lr_decay',
                                           'clip', 'dropout', 'seed')}
    settings['processes'] = world
    if rank == 0:
        print(f'train.py: {a.kind} {a.layers}x{a.hidden}, V={V}, {len(train_ids)} training chars, '
              f'{len(val_ids)} held out, {world} process(es) on {device.type}', flush=True)

    state, step, best, started = None, 0, math.inf, time.time()
    train_loss = math.nan
    stop = torch.zeros(1, device=device)

    def validate_and_save():
        nonlocal best
        bpc = bits_per_char(net, val_ids, a.seq, a.batch, device)
        if bpc < best:
            best = bpc
            export_onnx(net, a.out, chars, unknown_id, {
                'lstm_lens.trainer': 'scripts/torch/train.py (PyTorch ' + torch.__version__ + ')',
                'lstm_lens.training': json.dumps(settings),
                'lstm_lens.corpus': json.dumps(summary),
                'lstm_lens.val_bits_per_char': f'{bpc:.4f}',
                'lstm_lens.train_bits_per_char': f'{train_loss / math.log(2):.4f}',
                'lstm_lens.steps': str(step),
                'lstm_lens.chars_trained': str(step * a.seq * a.batch * world),
            })
            save_checkpoint(net, a.out + '.pt', a, chars)
        print(f'step {step}: held-out {bpc:.4f} bits/char (best {best:.4f}), '
              f'train {train_loss / math.log(2):.4f}, {time.time() - started:.0f} s', flush=True)

    while True:
        done = (a.steps is not None and step >= a.steps) or \
               (a.seconds is not None and time.time() - started >= a.seconds)
        if distributed:  # every process stops at the same step
            stop.fill_(1.0 if done else 0.0)
            torch.distributed.all_reduce(stop, op=torch.distributed.ReduceOp.MAX)
            done = stop.item() > 0
        if done:
            break
        x, y, resets = streams.next()
        state = zero_streams(state, resets)
        logits, state = model(x.to(device), state)
        state = detach(state)
        loss = F.cross_entropy(logits.reshape(-1, V), y.to(device).reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if a.clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        sched.step()
        step += 1
        value = loss.item()
        if not math.isfinite(value):
            sys.exit(f'train.py: training diverged at step {step} (loss {value}); try a lower --lr')
        train_loss = value if math.isnan(train_loss) else 0.95 * train_loss + 0.05 * value
        if rank == 0 and step % a.eval_every == 0:
            validate_and_save()
    seconds = time.time() - started
    if rank == 0:
        if step % a.eval_every != 0 or step == 0:
            validate_and_save()
        print(json.dumps({'val_bits_per_char': best, 'steps': step, 'chars': step * a.seq * a.batch * world,
                          'seconds': seconds, 'out': a.out}), flush=True)
    if distributed:
        torch.distributed.destroy_process_group()


if __name__ == '__main__':
    main()
