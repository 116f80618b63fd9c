"""The peers' model (peer_inference.py, peer_train.py): a config.json's architecture in transformers, float32, eager
attention, its own random init seeded with 0 (speed does not depend on the values), on torch.set_num_threads(threads)."""

import json

import torch
from transformers import AutoConfig, AutoModelForCausalLM


def random_model(config_path: str, threads: int):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with open(config_path) as f:
        config_dict = json.load(f)
    config_dict.pop("torch_dtype", None)
    config = AutoConfig.for_model(**config_dict)
    config._attn_implementation = "eager"
    return AutoModelForCausalLM.from_config(config, dtype=torch.float32)
