"""Cross-check of the PyTorch reference fixtures (test/fixtures/tiny-*) against transformers + PEFT themselves.

The engine is tested against these fixtures (test/ort/models); the fixtures were made by an independent
reimplementation (scripts/fixtures/reference_model.py). This loads each fixture's config.json, model.safetensors
and PEFT adapter into transformers' LlamaForCausalLM / Qwen2ForCausalLM / Qwen3ForCausalLM (eager attention) with peft, computes
the fixture contract's loss on batch.safetensors, backpropagates, and compares logits, loss and every LoRA
gradient with expected.safetensors (float32) and expected-f64.safetensors (float64). Prints one JSON line per
fixture and dtype; exits 1 when the float32 bar (1e-4) is missed; float64 is reported only (see below). Runs on CPU or GPU.
    python3 transformers_check.py <path to test/fixtures>
"""
import json, os, sys
import torch
from safetensors.torch import load_file
from transformers import AutoConfig, AutoModelForCausalLM
from peft import LoraConfig, get_peft_model, set_peft_model_state_dict


def check(d, batch, dtype, expected_file):
    """Logits, loss and the worst LoRA gradient of transformers + PEFT against one expected file: relative errors."""
    expected = load_file(os.path.join(d, expected_file))
    # Built from config + state dicts rather than from_pretrained(dir): the folder also holds an adapter,
    # which from_pretrained would try to resolve through base_model_name_or_path.
    config = AutoConfig.from_pretrained(os.path.join(d, "config.json"))
    base = AutoModelForCausalLM.from_config(config, attn_implementation="eager")
    missing, unexpected = base.load_state_dict(load_file(os.path.join(d, "model.safetensors")), strict=False)
    assert not unexpected and set(missing) <= {"lm_head.weight"}, (missing, unexpected)
    base.tie_weights()
    adapter_config = json.load(open(os.path.join(d, "adapter_config.json")))
    lora = LoraConfig(r=adapter_config["r"], lora_alpha=adapter_config["lora_alpha"], target_modules=adapter_config["target_modules"], lora_dropout=0.0)
    model = get_peft_model(base, lora)
    result = set_peft_model_state_dict(model, load_file(os.path.join(d, "adapter_model.safetensors")))
    assert not result.unexpected_keys, result.unexpected_keys
    model = model.to(dtype)
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
    return errors


root = sys.argv[1]
failed = False
print(json.dumps({"torch": torch.__version__, "transformers": __import__("transformers").__version__, "peft": __import__("peft").__version__}))
for name in ("tiny-llama", "tiny-qwen2", "tiny-qwen3"):
    d = os.path.join(root, name)
    batch = load_file(os.path.join(d, "batch.safetensors"))
    # float64 is reported, not judged: transformers computes RoPE's cos/sin in float32 even in a float64 model (its
    # rotary embedding forces float32), so its float64 run agrees with the float64 reference only to about 1e-6
    # (H200: logits 2e-7, LoRA gradients up to 1.1e-6), far above the 1e-9 our engine meets against the same file.
    for dtype, expected_file, bar in ((torch.float32, "expected.safetensors", 1e-4), (torch.float64, "expected-f64.safetensors", None)):
        row = {"check": "transformers+peft-vs-fixture", "fixture": name, "dtype": str(dtype), "bar": bar}
        try:
            errors = check(d, batch, dtype, expected_file)
            row.update(ok=bar is None or all(v < bar for v in errors.values()), **errors)
        except Exception as e:  # one fixture's failure (a missing key, an API change) must not hide the others
            row.update(ok=False, error=repr(e))
        failed = failed or not row["ok"]
        print(json.dumps(row), flush=True)
sys.exit(1 if failed else 0)
