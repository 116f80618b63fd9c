"""The peer of bench/engine/train-peer.ts: the same LoRA train step in transformers + PEFT on the CPU, one JSON line out.

    /work/venv/bin/python bench/engine/peer_train.py --config bench/engine/configs/tiny-llama.json --threads 2 \
        --batch 4 --seq 64 [--r 8] [--alpha 16] [--targets q,k,v,o,gate,up,down] [--steps 10] [--warmup 3] [--lr 1e-4]

The model is peer_model.py's: the config's architecture in transformers, float32, its own seeded random init (speed
does not depend on the values), eager attention, torch.set_num_threads(threads). LoRA as the engine's:
get_peft_model with LoraConfig(r, lora_alpha, target_modules=<t>_proj, dropout 0). The batch is shaped as the
engine bench's (models/batch.ts sampleSequences): B rows of T random ids, the last row 3/4 long and right-padded
(attention mask 0, no loss there), loss on the tokens after the first quarter of each row. A step is the engine's:
forward with labels (mean token loss), backward, clip_grad_norm_(1.0), AdamW(lr, weight_decay 0.01: torch's and the
engine's default), zero_grad. `warmup` untimed steps, then `steps` timed ones; ms/step is their mean.
"""

import argparse
import json
import time

import torch
from peft import LoraConfig, get_peft_model
from peer_model import random_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--seq", type=int, required=True)
    parser.add_argument("--r", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16)
    parser.add_argument("--targets", default="q,k,v,o,gate,up,down")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-4)
    args = parser.parse_args()

    model = random_model(args.config, args.threads)
    config = model.config
    targets = [f"{t}_proj" for t in args.targets.split(",")]
    model = get_peft_model(model, LoraConfig(r=args.r, lora_alpha=args.alpha, target_modules=targets, lora_dropout=0.0))
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)

    b, t = args.batch, args.seq
    generator = torch.Generator().manual_seed(1)
    input_ids = torch.randint(0, config.vocab_size, (b, t), generator=generator)
    attention_mask = torch.ones(b, t, dtype=torch.long)
    labels = input_ids.clone()
    for row in range(b):
        length = max(2, -(-3 * t // 4)) if row == b - 1 and b > 1 else t
        attention_mask[row, length:] = 0
        labels[row, length:] = -100
        labels[row, : length // 4] = -100

    def step() -> float:
        loss = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.detach().item()

    for _ in range(args.warmup):
        step()
    losses = []
    start = time.perf_counter()
    for _ in range(args.steps):
        losses.append(step())
    ms = (time.perf_counter() - start) * 1000 / args.steps
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": args.threads,
                "trainableParameters": sum(p.numel() for p in trainable),
                "msPerStep": ms,
                "tokensPerSecond": b * t * 1000 / ms,
                "losses": losses,
            }
        )
    )


if __name__ == "__main__":
    main()
