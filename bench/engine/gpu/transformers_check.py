"""Cross-check of the PyTorch reference fixtures (test/fixtures/tiny-*) against transformers + PEFT themselves.

The engine is tested against these fixtures (test/ort/models); the fixtures were made by an independent
reimplementation (scripts/fixtures/reference_model.py). This loads each fixture's config.json, model.safetensors
and PEFT adapter into transformers' LlamaForCausalLM / Qwen2ForCausalLM (eager attention) with peft, computes
the fixture contract's loss on batch.safetensors, backpropagates, and compares logits, loss and every LoRA
gradient with expected.safetensors (float32) and expected-f64.safetensors (float64). Prints one JSON line per
fixture and dtype; exits 1 when a bar (1e-4 float32, 1e-9 float64) is missed. Runs on CPU or GPU.
    python3 transformers_check.py <path to test/fixtures>
"""
import json, os, sys
import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM
from peft import PeftModel

root = sys.argv[1]
failed = False
print(json.dumps({"torch": torch.__version__, "transformers": __import__("transformers").__version__, "peft": __import__("peft").__version__}))
for name in ("tiny-llama", "tiny-qwen2"):
    d = os.path.join(root, name)
    batch = load_file(os.path.join(d, "batch.safetensors"))
    for dtype, expected_file, bar in ((torch.float32, "expected.safetensors", 1e-4), (torch.float64, "expected-f64.safetensors", 1e-9)):
        expected = load_file(os.path.join(d, expected_file))
        base = AutoModelForCausalLM.from_pretrained(d, torch_dtype=torch.float32, attn_implementation="eager")
        model = PeftModel.from_pretrained(base, d, is_trainable=True).to(dtype)
        model.train()  # lora_dropout is 0: train mode changes nothing but enables gradients
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"].to(torch.long)).logits
        labels = batch["labels"].to(torch.long)
        mask = batch["loss_mask"].to(dtype)
        nll = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), reduction="none").reshape(labels.shape)
        loss = (nll * mask).sum() / mask.sum().clamp(min=1)
        loss.backward()
        rel = lambda a, b: ((a.double() - b.double()).abs().max() / b.double().abs().max()).item()
        errors = {"logits": rel(logits.detach(), expected["logits"]), "loss": rel(loss.detach(), expected["loss"])}
        worst = 0.0
        for pname, p in model.named_parameters():
            if "lora_" in pname:
                key = pname.replace(".default", "")
                worst = max(worst, rel(p.grad, expected[key]))
        errors["loraGradients"] = worst
        ok = all(v < bar for v in errors.values())
        failed = failed or not ok
        print(json.dumps({"check": "transformers+peft-vs-fixture", "fixture": name, "dtype": str(dtype), "ok": ok, **errors}))
sys.exit(1 if failed else 0)
