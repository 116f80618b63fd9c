"""The peer of bench/engine/inference.ts: the same inference work in transformers on the CPU, one JSON line out.

    /work/venv/bin/python bench/engine/peer_inference.py --config bench/engine/configs/smollm2-135m.json --threads 2 \
        [--prompt 256] [--new 64] [--pairs 32] [--pair-len 128] [--batch 8] [--rounds 1]

The model is the config's architecture (AutoModelForCausalLM.from_config) in float32 with its own seeded random init:
speed does not depend on the values. torch.set_num_threads(threads) and eager attention, under
torch.inference_mode(). What is timed, after one untimed warm-up of each:
  prefill  one forward of a [1, prompt] batch with use_cache (the KV cache filled, logits of every position)
  decode   model.generate greedy with use_cache, new tokens exactly (min_new_tokens, so EOS cannot end it early),
           minus a prefill: (generate - prefill) / (new - 1) per token, the first new token coming from the prefill
  scoring  pairs rows of pair-len tokens in batches of `batch`: forward, log_softmax, the completion tokens'
           log-probabilities gathered and summed (the second half of each row is the completion)
Each figure is the median over `rounds`.
"""

import argparse
import json
import statistics
import time

import torch
from peer_model import random_model


def median_seconds(run, rounds: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--prompt", type=int, default=256)
    parser.add_argument("--new", type=int, default=64)
    parser.add_argument("--pairs", type=int, default=32)
    parser.add_argument("--pair-len", type=int, default=128)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    model = random_model(args.config, args.threads).eval()
    config = model.config
    vocab = config.vocab_size
    generator = torch.Generator().manual_seed(1)
    prompt = torch.randint(1, vocab, (1, args.prompt), generator=generator)
    rows = torch.randint(1, vocab, (args.pairs, args.pair_len), generator=generator)
    completion_from = args.pair_len // 2

    with torch.inference_mode():
        prefill = median_seconds(lambda: model(prompt, use_cache=True), args.rounds)

        def generate():
            out = model.generate(
                prompt,
                attention_mask=torch.ones_like(prompt),
                max_new_tokens=args.new,
                min_new_tokens=args.new,
                do_sample=False,
                use_cache=True,
                pad_token_id=0,
            )
            assert out.shape[1] == args.prompt + args.new

        generate_seconds = median_seconds(generate, args.rounds)

        def score():
            total = 0.0
            for start in range(0, args.pairs, args.batch):
                batch = rows[start : start + args.batch]
                logits = model(batch, attention_mask=torch.ones_like(batch), use_cache=False).logits
                logprobs = torch.log_softmax(logits[:, completion_from - 1 : -1].float(), dim=-1)
                picked = logprobs.gather(-1, batch[:, completion_from:].unsqueeze(-1)).squeeze(-1)
                total += float(picked.sum())
            return total

        scoring = median_seconds(score, args.rounds)

    decode_per_token = max(generate_seconds - prefill, 1e-9) / max(args.new - 1, 1)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": args.threads,
                "prefillTokensPerSecond": args.prompt / prefill,
                "decodeTokensPerSecond": 1 / decode_per_token,
                "scoreExamplesPerSecond": args.pairs / scoring,
                "prefillMs": prefill * 1000,
                "generateMs": generate_seconds * 1000,
                "scoreMs": scoring * 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
