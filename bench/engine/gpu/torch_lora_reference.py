"""PyTorch + PEFT LoRA training throughput, the reference our WebGPU bench is compared with. A parameterised
form of shared/gpu/torch_lora_reference.py (same model, LoRA and optimizer setup): random weights, LoRA on all
seven projections, AdamW, one JSON line.
    python3 torch_lora_reference.py --model smollm2-135m --batch 8 --seq 512 --mode fp32 [--steps 10]
"""
import argparse, json, time
import torch
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM
from peft import LoraConfig, get_peft_model

p = argparse.ArgumentParser()
p.add_argument("--model", default="smollm2-135m", choices=["smollm2-135m", "qwen2.5-0.5b"])
p.add_argument("--batch", type=int, default=8)
p.add_argument("--seq", type=int, default=512)
p.add_argument("--mode", default="fp32", choices=["fp32", "tf32", "bf16"])
p.add_argument("--steps", type=int, default=10)
p.add_argument("--r", type=int, default=8)
p.add_argument("--alpha", type=int, default=16)
a = p.parse_args()
torch.manual_seed(0)
dev = "cuda"
cfgs = {
    "smollm2-135m": LlamaConfig(hidden_size=576, intermediate_size=1536, num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3, vocab_size=49152, max_position_embeddings=8192, rope_theta=100000.0, tie_word_embeddings=True, rms_norm_eps=1e-5),
    "qwen2.5-0.5b": Qwen2Config(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2, vocab_size=151936, max_position_embeddings=32768, rope_theta=1000000.0, tie_word_embeddings=True, rms_norm_eps=1e-6),
}
cfg = cfgs[a.model]
torch.backends.cuda.matmul.allow_tf32 = a.mode == "tf32"
torch.backends.cudnn.allow_tf32 = a.mode == "tf32"
model = (LlamaForCausalLM if a.model.startswith("smol") else Qwen2ForCausalLM)(cfg).to(dev)
targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
model = get_peft_model(model, LoraConfig(r=a.r, lora_alpha=a.alpha, target_modules=targets, lora_dropout=0.0))
opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=1e-4)
x = torch.randint(0, cfg.vocab_size, (a.batch, a.seq), device=dev)

def step():
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=a.mode == "bf16"):
        loss = model(input_ids=x, labels=x).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_([q for q in model.parameters() if q.requires_grad], 1.0)
    opt.step()
    opt.zero_grad(set_to_none=True)
    return loss

for _ in range(3):
    step()
torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats(); t = time.time()
for _ in range(a.steps):
    l = step()
torch.cuda.synchronize(); dt = (time.time() - t) / a.steps
print(json.dumps({"reference": "pytorch+peft", "torch": torch.__version__, "gpu": torch.cuda.get_device_name(0), "model": a.model, "mode": a.mode, "batch": a.batch, "seq": a.seq,
                  "msPerStep": round(dt * 1000, 1), "tokensPerSecond": round(a.batch * a.seq / dt), "peak_GiB": round(torch.cuda.max_memory_allocated() / 2**30, 2), "loss": round(l.item(), 3)}))
