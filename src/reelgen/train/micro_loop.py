"""Trains reelgen-micro in one timed run: the VAE first, then the transformer and text encoder by flow matching.

Everything is seeded, and every phase is bounded by wall-clock seconds so the
run fits a fixed GPU lease; a checkpoint (safetensors + JSON log) is written
at fixed intervals, so a run cut short still leaves usable weights.
"""

from __future__ import annotations

import copy
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelgen.core.backends.micro import build as mb
from reelgen.train.micro_checkpoint import load_checkpoint, previous_log, save_checkpoint
from reelgen.train.micro_data import LatentPool, SceneStream, decode_unclamped, render_video
from reelgen.train.micro_eval import validate


@dataclass
class TrainConfig:
    """Knobs of one training run; the defaults are the shipped model's recipe."""

    out: Path
    seconds: float = 2100.0  # wall-clock budget of the whole run, evaluation included
    vae_seconds: float = 480.0
    vae_steps: int = 4000  # the VAE phase ends at this many steps or ``vae_seconds``, whichever comes first
    eval_seconds: float = 110.0  # kept free at the end for choosing sampler settings and the held-out check
    seed: int = 0
    size: int = 128
    frames: int = 25
    vae_frames: int = 25  # as long as the clips it will decode: its causal caches drift past what it saw
    vae_crop: int = 64  # random square crops keep VAE steps cheap (0: whole frames)
    vae_batch: int = 32
    first_frame_weight: float = 2.0  # the first frame is encoded alone and is the i2v condition
    vae_lr: float = 1e-3
    batch: int = 128
    lr: float = 5e-4
    warmup: int = 300  # steps of this run (a resumed run warms its fresh optimiser up again)
    pool: int = 8192
    stats_clips: int = 512  # clips whose latents set the per-channel mean and std
    refresh: int = 32  # fresh clips encoded into the pool every step
    i2v_share: float = 0.2  # samples trained with a clean first latent frame (image-to-video)
    drop_text: float = 0.1  # samples trained with the empty prompt (for classifier-free guidance)
    ema: float = 0.9995
    checkpoint_every: float = 60.0
    validate_every: float = 300.0  # seconds between adherence checks on training-split prompts (0: never)
    validate_prompts: int = 64
    compile: bool = True  # torch.compile the transformer's training forward (CUDA only; eager if it fails)
    workers: int = 0
    resume: Path | None = None
    device: str = "cuda"
    eval_prompts: int = 128
    log_every: int = 50
    started: float = field(default_factory=time.monotonic)

    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    @property
    def cuda(self) -> bool:
        return self.device.startswith("cuda")


@dataclass
class Parts:
    """The models being trained, the latent statistics, the run's log and its global step."""

    tokenizer: Any
    text_encoder: Any
    transformer: Any
    vae: Any
    mean: Any = None  # latent mean/std per channel, (1, C, 1, 1, 1)
    std: Any = None
    log: dict[str, Any] = field(
        default_factory=lambda: {"vae": [], "dit": [], "validation": [], "events": []}
    )
    step: int = 0


def _note(parts: Parts, cfg: TrainConfig, message: str) -> None:
    stamp = round(time.monotonic() - cfg.started, 1)
    parts.log["events"].append([stamp, message])
    print(f"[{stamp:7.1f}s] {message}", flush=True)


def _last_row(rows: list[list[float]], every: int) -> str:
    """A phase's last logged averages, or that none was logged yet: a short phase printed "last []"."""
    return f"last {rows[-1]}" if rows else f"no average logged yet (one every {every} steps)"


# ---- phase 1: the VAE ------------------------------------------------------------------------


def train_vae(parts: Parts, cfg: TrainConfig, stream: SceneStream) -> None:
    """Reconstruct clips (L1 + MSE, a light KL term) until ``cfg.vae_seconds`` have passed; LR decays by cosine."""
    import torch

    vae, device = parts.vae.train(), cfg.device
    opt = torch.optim.AdamW(vae.parameters(), lr=cfg.vae_lr, betas=(0.9, 0.99), weight_decay=0.0)
    begin, step, window = time.monotonic(), 0, []
    while (elapsed := time.monotonic() - begin) < cfg.vae_seconds and step < cfg.vae_steps:
        _, arrays = stream.take(cfg.vae_batch)
        arrays = _cut_frames({k: v[: cfg.vae_batch] for k, v in arrays.items()}, cfg.vae_frames)
        with torch.no_grad():
            video = _crop(render_video(arrays, cfg.size, device), cfg.vae_crop)
        fraction = max(elapsed / cfg.vae_seconds, step / cfg.vae_steps)
        for group in opt.param_groups:
            group["lr"] = (
                cfg.vae_lr * min(1.0, (step + 1) / 50) * (0.1 + 0.45 * (1 + math.cos(math.pi * fraction)))
            )
        with torch.autocast("cuda", torch.bfloat16, enabled=cfg.cuda):
            h = vae._encode(video)
            mean, logvar = h.float().chunk(2, dim=1)
            logvar = logvar.clamp(-20.0, 5.0)
            z = mean + torch.randn_like(mean) * torch.exp(0.5 * logvar)
            recon = decode_unclamped(vae, z).float()
        weight = torch.ones(video.shape[2], device=device)
        weight[0] = cfg.first_frame_weight
        weight = (weight / weight.mean()).view(1, 1, -1, 1, 1)
        l1 = ((recon - video).abs() * weight).mean()
        mse = (((recon - video) ** 2) * weight).mean()
        kl = 0.5 * (mean**2 + logvar.exp() - 1.0 - logvar).mean()
        loss = l1 + mse + 3e-5 * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        opt.step()
        step += 1
        window.append(torch.stack([l1, mse, kl]).detach())
        if step % 25 == 0:
            l1_avg, mse_avg, kl_avg = torch.stack(window).mean(0).tolist()
            psnr = -10 * math.log10(max(mse_avg / 4, 1e-10))  # video spans [-1, 1]: peak-to-peak 2
            parts.log["vae"].append([step, round(time.monotonic() - begin, 1), l1_avg, mse_avg, kl_avg, psnr])
            window = []
        if step % 250 == 0:
            _note(parts, cfg, f"VAE step {step}: {parts.log['vae'][-1]}")
    _note(parts, cfg, f"VAE: {step} steps of {cfg.vae_batch} clips; {_last_row(parts.log['vae'], 25)}")
    vae.eval()
    parts.log["vae_check"] = vae_check(parts, cfg, stream)
    _note(parts, cfg, f"VAE on whole clips, PSNR dB: {parts.log['vae_check']}")


def vae_check(parts: Parts, cfg: TrainConfig, stream: SceneStream, clips: int = 32) -> dict[str, float]:
    """PSNR of whole fresh clips through encode (mode) and the pipeline's decode: first frame, the rest."""
    import torch

    _, arrays = stream.take(clips)
    arrays = {k: v[:clips] for k, v in arrays.items()}
    with torch.no_grad():
        video = render_video(arrays, cfg.size, cfg.device)
        h = parts.vae._encode(video)
        recon = parts.vae.decode(h[:, : mb.Z_DIM]).sample.float()
    mse = ((recon - video) ** 2).mean(dim=(0, 1, 3, 4))
    psnr = [-10 * math.log10(max(m / 4, 1e-10)) for m in mse.tolist()]
    return {
        "first": round(psnr[0], 2),
        "rest": round(sum(psnr[1:]) / len(psnr[1:]), 2),
        "worst": round(min(psnr), 2),
    }


def _crop(video: Any, size: int) -> Any:
    """One random ``size`` x ``size`` window of a (B, C, T, H, W) batch; the whole frame if size is 0."""
    import torch

    height, width = video.shape[-2:]
    if not size or size >= min(height, width):
        return video
    top, left = (int(torch.randint(0, n - size + 1, ())) for n in (height, width))
    return video[..., top : top + size, left : left + size]


def _cut_frames(arrays: dict[str, Any], frames: int) -> dict[str, Any]:
    """The first ``frames`` frames of each scene (same speed per frame, a shorter clip)."""
    out = {}
    for key, value in arrays.items():
        if key in ("offset", "zoom"):
            value = value[:, :frames]
        elif key in ("centre", "radius", "rot"):
            value = value[:, :, :frames]
        out[key] = value
    return out


def latent_statistics(parts: Parts, cfg: TrainConfig, stream: SceneStream) -> None:
    """Per-channel mean and std of the VAE's latents: the normalisation WanPipeline undoes before decoding."""
    import torch

    found, per_batch = [], min(64, cfg.stats_clips)
    with torch.no_grad(), torch.autocast("cuda", torch.bfloat16, enabled=cfg.cuda):
        for _ in range(max(1, cfg.stats_clips // per_batch)):
            _, arrays = stream.take(per_batch)
            arrays = {k: v[:per_batch] for k, v in arrays.items()}
            h = parts.vae._encode(render_video(arrays, cfg.size, cfg.device))
            found.append(h[:, : mb.Z_DIM].float())
    z = torch.cat(found)
    parts.mean = z.mean(dim=(0, 2, 3, 4), keepdim=True).cpu()
    parts.std = z.std(dim=(0, 2, 3, 4), keepdim=True).cpu()
    parts.vae.register_to_config(
        latents_mean=parts.mean.flatten().tolist(), latents_std=parts.std.flatten().tolist()
    )
    _note(parts, cfg, f"latent std per channel: {[round(v, 3) for v in parts.std.flatten().tolist()]}")


# ---- phase 2: the transformer and text encoder --------------------------------------------------


def _flow_batch(x0: Any, cfg: TrainConfig, generator: Any) -> tuple[Any, Any, Any, Any]:
    """Noisy latents, per-token timesteps, velocity target and loss mask (first frame kept clean for i2v rows).

    Everything is drawn on ``generator``'s device (the GPU in training), so no noise crosses the bus.
    """
    import torch

    b, _, f, h, w = x0.shape
    device = x0.device
    sigma = torch.sigmoid(torch.randn(b, generator=generator, device=device) + 0.3)
    noise = torch.randn(x0.shape, generator=generator, device=device)
    s = sigma.view(b, 1, 1, 1, 1)
    xt = (1 - s) * x0 + s * noise
    i2v = torch.rand(b, generator=generator, device=device) < cfg.i2v_share
    first = torch.zeros(1, 1, f, 1, 1, device=device, dtype=torch.bool)
    first[:, :, 0] = True
    clean = i2v.view(b, 1, 1, 1, 1) & first  # rows x frames whose latent is the given image
    xt = torch.where(clean, x0, xt)
    tokens = torch.ones(b, f, h // 2, w // 2, device=device) * sigma.view(b, 1, 1, 1) * 1000
    tokens[:, 0] = torch.where(i2v.view(b, 1, 1), 0.0, tokens[:, 0])
    mask = (~clean).float().expand(b, 1, f, h, w)
    return xt, tokens.flatten(1), noise - x0, mask


def _lr(cfg: TrainConfig, step: int, fraction: float) -> float:
    # --warmup 0 (no warm-up, which its help offers) divided by zero at the first transformer step.
    warm = min(1.0, (step + 1) / cfg.warmup) if cfg.warmup else 1.0
    return cfg.lr * warm * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(fraction, 1.0))))


def _compiled(module: Any, cfg: TrainConfig) -> Any:
    """``module`` under torch.compile when asked for and on CUDA; the caller falls back to eager on failure."""
    import torch

    if not (cfg.compile and cfg.cuda):
        return module
    return torch.compile(module, dynamic=False)


def _predict(parts: Parts, cfg: TrainConfig, forward: Any, inputs: tuple[Any, Any, Any]) -> tuple[Any, Any]:
    """The velocity prediction, and the forward to use from now on (eager once the compiled one fails)."""
    try:
        return forward(*inputs, return_dict=False)[0].float(), forward
    except Exception as exc:  # a compiler failure costs speed, not the run
        if forward is parts.transformer:
            raise
        _note(parts, cfg, f"torch.compile failed ({type(exc).__name__}: {exc}); training eager")
        return parts.transformer(*inputs, return_dict=False)[0].float(), parts.transformer


def _checkpoint_and_validate(
    parts: Parts, cfg: TrainConfig, emas: list[Any], marks: dict[str, float], pieces: dict[str, float]
) -> None:
    """Save a checkpoint every ``cfg.checkpoint_every`` seconds and validate every ``cfg.validate_every``."""
    if time.monotonic() - marks["save"] > cfg.checkpoint_every:
        save_checkpoint(parts, cfg, *emas)
        marks["save"] = time.monotonic()
        split = {k: round(v, 1) for k, v in pieces.items()}
        _note(parts, cfg, f"checkpoint at step {parts.step}; {parts.log['dit'][-1:]}; time {split}")
    if cfg.validate_every and time.monotonic() - marks["check"] > cfg.validate_every:
        tick = time.monotonic()
        _note(parts, cfg, f"validation at step {parts.step}: {validate(parts, cfg, *emas)}")
        pieces["validation"] += time.monotonic() - tick
        marks["check"] = time.monotonic()


def train_transformer(parts: Parts, cfg: TrainConfig, stream: SceneStream) -> tuple[Any, Any]:
    """Flow-matching training until only ``cfg.eval_seconds`` are left; returns the EMA copies."""
    import torch

    device = cfg.device
    pool = LatentPool(parts, cfg, stream)
    _note(parts, cfg, f"latent pool filled: {len(pool.captions)} clips")
    modules = [parts.transformer.train(), parts.text_encoder.train()]
    params = [p for m in modules for p in m.parameters()]
    emas = [copy.deepcopy(m).eval().requires_grad_(False) for m in modules]
    ema_params = [p for m in emas for p in m.parameters()]
    opt = torch.optim.AdamW(params, lr=cfg.lr, betas=(0.9, 0.98), weight_decay=0.01)
    generator = torch.Generator(device).manual_seed(cfg.seed + 1)
    forward = _compiled(parts.transformer, cfg)
    begin = time.monotonic()
    budget = max(1.0, cfg.left() - cfg.eval_seconds)
    marks = {"save": begin, "check": begin}  # when the last checkpoint and validation ran
    window, pieces, local = [], {"data": 0.0, "model": 0.0, "validation": 0.0}, 0
    while time.monotonic() - begin < budget:
        tick = time.monotonic()
        pool.refresh(cfg.refresh)
        x0, captions = pool.batch(cfg.batch, generator)
        drop = (torch.rand(cfg.batch, generator=generator, device=generator.device) < cfg.drop_text).tolist()
        captions = ["" if d else c for c, d in zip(captions, drop, strict=True)]
        xt, timesteps, target, mask = _flow_batch(x0, cfg, generator)
        if cfg.cuda:
            torch.cuda.synchronize()
        pieces["data"] += time.monotonic() - tick
        tick = time.monotonic()
        for group in opt.param_groups:
            group["lr"] = _lr(cfg, local, (time.monotonic() - begin) / budget)
        with torch.autocast("cuda", torch.bfloat16, enabled=cfg.cuda):
            text = mb.encode_prompts(parts.tokenizer, parts.text_encoder, captions, device)
            pred, forward = _predict(parts, cfg, forward, (xt, timesteps, text))
        loss = (((pred - target) ** 2) * mask).sum() / (mask.sum() * pred.shape[1])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        with torch.no_grad():  # or the EMA copies would join the autograd graph
            torch._foreach_lerp_(ema_params, params, 1 - min(cfg.ema, (1 + parts.step) / (10 + parts.step)))
        parts.step, local = parts.step + 1, local + 1
        window.append(loss.detach())
        if local == 1:
            _note(parts, cfg, f"first step done in {time.monotonic() - tick:.1f} s")
        if parts.step % cfg.log_every == 0:
            elapsed = round(time.monotonic() - begin, 1)
            mean_loss = torch.stack(window).mean().item()
            parts.log["dit"].append([parts.step, elapsed, mean_loss, opt.param_groups[0]["lr"]])
            window = []
        pieces["model"] += time.monotonic() - tick
        _checkpoint_and_validate(parts, cfg, emas, marks, pieces)
    parts.log["dit_time_split"] = pieces
    save_checkpoint(parts, cfg, *emas)
    _note(
        parts,
        cfg,
        f"transformer: {parts.step} steps of {cfg.batch}; {_last_row(parts.log['dit'], cfg.log_every)}",
    )
    return emas[0], emas[1]


def run(cfg: TrainConfig) -> Parts:
    """The whole recipe: seed, build (or resume), VAE, latent statistics, transformer; then save."""
    import torch

    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    if cfg.cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    pipe = mb.build_untrained(cfg.seed)
    parts = Parts(pipe.tokenizer, pipe.text_encoder, pipe.transformer, pipe.vae)
    probe = "a small red circle moves to the left over a blue background"
    _note(parts, cfg, f"tokens of {probe!r}: {parts.tokenizer(probe).input_ids}")
    if cfg.resume is not None:
        state = load_checkpoint(cfg.resume, parts)
        previous = previous_log(cfg.resume)
        if previous is not None:
            parts.log["previous"] = previous
        parts.step = state["step"]  # check_checkpoint made sure it is a whole number
        parts.vae.register_to_config(latents_mean=state["latents_mean"], latents_std=state["latents_std"])
        _note(parts, cfg, f"resumed from {cfg.resume} at step {parts.step}")
    # A resumed run draws scenes from a new stretch of the stream, not the ones already seen.
    stream = SceneStream(cfg.seed + 1000 * parts.step, cfg.frames, workers=cfg.workers)
    for module in (parts.text_encoder, parts.transformer, parts.vae):
        module.to(cfg.device)
    try:
        if cfg.resume is None or cfg.vae_seconds > 0:
            train_vae(parts, cfg, stream)
            latent_statistics(parts, cfg, stream)
            save_checkpoint(parts, cfg, parts.transformer, parts.text_encoder)
        transformer, text_encoder = train_transformer(parts, cfg, stream)
    finally:
        stream.close()
    parts.transformer, parts.text_encoder = transformer, text_encoder
    return parts
