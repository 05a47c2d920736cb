"""Published Wan numbers the runner and the builders read: preview colours and full-size configs."""

from __future__ import annotations

from typing import Any

#: Wan 2.1's 16-channel latent -> RGB projection (as ComfyUI's Wan21 latent format publishes it).
LATENT_RGB_FACTORS: list[list[float]] = [
    [-0.1299, -0.1692, 0.2932],
    [0.0671, 0.0406, 0.0442],
    [0.3568, 0.2548, 0.1747],
    [0.0372, 0.2344, 0.1420],
    [0.0313, 0.0189, -0.0328],
    [0.0296, -0.0956, -0.0665],
    [-0.3477, -0.4059, -0.2925],
    [0.0166, 0.1902, 0.1975],
    [-0.0412, 0.0267, -0.1364],
    [-0.1293, 0.0740, 0.1636],
    [0.0680, 0.3019, 0.1128],
    [0.0032, 0.0581, 0.0639],
    [-0.1251, 0.0927, 0.1699],
    [0.0060, -0.0633, 0.0005],
    [0.3477, 0.2275, 0.2950],
    [0.1984, 0.0913, 0.1861],
]

# ---- published configs (diffusers layout) ------------------------------------------------------

_TRANSFORMER_COMMON: dict[str, Any] = dict(
    patch_size=(1, 2, 2),
    attention_head_dim=128,
    text_dim=4096,
    freq_dim=256,
    cross_attn_norm=True,
    qk_norm="rms_norm_across_heads",
    eps=1e-6,
    rope_max_seq_len=1024,
)
#: WanTransformer3DModel of Wan2.1-T2V-1.3B (dim 1536 = 12 heads x 128).
TRANSFORMER_1_3B: dict[str, Any] = dict(
    _TRANSFORMER_COMMON, num_attention_heads=12, ffn_dim=8960, num_layers=30, in_channels=16, out_channels=16
)
#: UMT5-XXL encoder as the Wan checkpoints ship it.
UMT5_XXL: dict[str, Any] = dict(
    vocab_size=256384,
    d_model=4096,
    d_kv=64,
    d_ff=10240,
    num_layers=24,
    num_heads=64,
    relative_attention_num_buckets=32,
    relative_attention_max_distance=128,
    feed_forward_proj="gated-gelu",
    layer_norm_epsilon=1e-6,
    dropout_rate=0.0,
    pad_token_id=0,
    eos_token_id=1,
)
#: The scheduler the Wan diffusers checkpoints ship (flow-matching UniPC).
SCHEDULER: dict[str, Any] = dict(
    prediction_type="flow_prediction", use_flow_sigmas=True, num_train_timesteps=1000, flow_shift=3.0
)
