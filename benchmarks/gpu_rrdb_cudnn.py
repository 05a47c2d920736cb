"""GPU probe of issue 11's RRDB target: a dense block as five cuDNN graphs whose epilogues do all the glue.

The compiled, regrouped RRDB x4plus reaches 35 % of the bf16 roof on a 480p frame: its convolutions
alone run at 54-56 %, and 16.7 ms of the frame's 52.3 are elementwise kernels around them (adding
each product into the running sums, biases, LeakyReLU, residuals). cuDNN's graph API can run those
as the convolution's epilogue. Each regrouped step is one graph:

    y_j = conv(part_j, W_j) + rest_{j-1} + bias_j, then max(v, v * slope_j)

where ``part_j`` and ``rest_{j-1}`` are channel slices of the previous step's output (no copies),
``bias_j`` is the next finished convolution's bias on its 32 channels and zero elsewhere, and
``slope_j`` is 0.2 on those channels and 1 on the rest, so max(v, v * slope) is LeakyReLU where a
convolution just finished and the identity on the running sums. The last step folds the block's
residual (the RRDB's own residual stays in PyTorch). This probe checks the block against PyTorch,
times each graph's plans, then times the whole network. Result (docs/benchmarks.md): correct, but
slower than the compiled block, so reelgen does not use it. Usage:

    PYTHONPATH=src:benchmarks python3 benchmarks/gpu_rrdb_cudnn.py --out $OUT
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from enhance_gpu import _random_fill, conv_flops, gemm_roof, timed


def _cl(shape: tuple[int, ...]) -> torch.Tensor:
    return torch.empty(shape, device="cuda", dtype=torch.float16).contiguous(
        memory_format=torch.channels_last
    )


class FusedConv:
    """One 3x3 convolution and its epilogue as a cuDNN graph, built for one set of shapes and strides.

    ``epilogue`` names the pointwise steps in order: ``"z"`` adds a tensor, ``"bias"`` a per-channel
    vector, ``"leaky"`` takes max(v, v * slope), ``"res"`` computes res_scale * v + residual.
    """

    def __init__(
        self,
        handle: Any,
        x: torch.Tensor,
        w: torch.Tensor,
        like: dict[str, torch.Tensor],
        epilogue: tuple[str, ...],
        out_channels: int,
        autotune: bool = True,
    ) -> None:
        import cudnn

        n, _, h, wd = x.shape
        self.handle = handle
        self.out_shape = (n, out_channels, h, wd)
        self.out = _cl(self.out_shape)  # a stand-in for the strides; each call writes a new tensor
        g = cudnn.pygraph(
            io_data_type=cudnn.data_type.HALF,
            intermediate_data_type=cudnn.data_type.FLOAT,
            compute_data_type=cudnn.data_type.FLOAT,
            handle=handle,
        )

        def tensor(name: str, t: torch.Tensor) -> Any:
            return g.tensor(
                name=name, dim=list(t.shape), stride=list(t.stride()), data_type=cudnn.data_type.HALF
            )

        self.names: dict[str, Any] = {"x": tensor("x", x), "w": tensor("w", w)}
        v = g.conv_fprop(
            image=self.names["x"], weight=self.names["w"], padding=[1, 1], stride=[1, 1], dilation=[1, 1]
        )
        for step in epilogue:
            if step == "z":
                self.names["z"] = tensor("z", like["z"])
                v = g.add(a=v, b=self.names["z"])
            elif step == "bias":
                self.names["bias"] = tensor("bias", like["bias"])
                v = g.add(a=v, b=self.names["bias"])
            elif step == "leaky":
                self.names["slope"] = tensor("slope", like["slope"])
                v = g.max(input0=v, input1=g.mul(a=v, b=self.names["slope"]))
            elif step == "res":
                self.names["res_scale"] = tensor("res_scale", like["res_scale"])
                self.names["res"] = tensor("res", like["res"])
                v = g.add(a=g.mul(a=v, b=self.names["res_scale"]), b=self.names["res"])
            else:
                raise ValueError(step)
        v.set_output(True).set_dim(list(self.out.shape)).set_stride(list(self.out.stride()))
        v.set_data_type(cudnn.data_type.HALF)
        self.names["y"] = v
        g.validate()
        g.build_operation_graph()
        g.create_execution_plans([cudnn.heur_mode.A, cudnn.heur_mode.FALLBACK])
        g.check_support()
        start = time.perf_counter()
        g.build_plans(cudnn.build_plan_policy.ALL if autotune else cudnn.build_plan_policy.HEURISTICS_CHOICE)
        self.build_s = time.perf_counter() - start
        self.graph = g
        self.plans = int(g.get_execution_plan_count())
        self.index = 0
        self.workspace = torch.empty(
            max([int(g.get_workspace_size_plan_at_index(i)) for i in range(self.plans)] + [1]),
            device="cuda",
            dtype=torch.uint8,
        )
        self.timings: list[Any] = []

    def pack(self, tensors: dict[str, torch.Tensor], out: torch.Tensor) -> dict[Any, torch.Tensor]:
        return {self.names[k]: t for k, t in tensors.items()} | {self.names["y"]: out}

    def tune(self, tensors: dict[str, torch.Tensor]) -> None:
        """Time every built plan on these tensors and keep the fastest."""
        pack = self.pack(tensors, self.out)
        best = None
        for i in range(self.plans):
            try:
                seconds = timed(
                    lambda i=i: self.graph.execute_plan_at_index(
                        pack, self.workspace, index=i, handle=self.handle
                    ),
                    10,
                )
            except Exception as exc:  # a plan that does not run: note it, try the next
                self.timings.append([i, f"{type(exc).__name__}: {str(exc)[:120]}"])
                continue
            self.timings.append([i, round(seconds * 1e3, 4)])
            if best is None or seconds < best[0]:
                best = (seconds, i)
        if best is None:
            raise RuntimeError("no plan ran")
        self.index = best[1]

    def __call__(self, tensors: dict[str, torch.Tensor]) -> torch.Tensor:
        out = _cl(self.out_shape)
        self.graph.execute_plan_at_index(
            self.pack(tensors, out), self.workspace, index=self.index, handle=self.handle
        )
        return out


def _channel_vector(values: torch.Tensor) -> torch.Tensor:
    return values.view(1, -1, 1, 1).to("cuda", torch.float16).contiguous(memory_format=torch.channels_last)


class FusedDenseBlock:
    """A regrouped dense block (``reelgen.core.enhance.upscale.regroup``) run by five shared ``FusedConv`` graphs.

    The graphs depend on shapes and strides only (weights and vectors are bound per call), so every
    dense block of a network at one frame size shares one set: ``build_graphs`` makes it once.
    """

    def __init__(self, block: Any, graphs: list[FusedConv], copy_parts: bool) -> None:
        convs = [block.conv1, block.conv2, block.conv3, block.conv4, block.conv5]
        feat, grow = block.conv1.in_channels, block.conv1.out_channels
        bounds = [(0, feat)] + [(feat + i * grow, feat + (i + 1) * grow) for i in range(4)]
        self.grow, self.copy_parts, self.graphs = grow, copy_parts, graphs
        self.weights = [
            torch.cat([c.weight[:, lo:hi] for c in convs[j:]], 0)
            .detach()
            .to("cuda", torch.float16)
            .contiguous(memory_format=torch.channels_last)
            for j, (lo, hi) in enumerate(bounds)
        ]
        self.biases, self.slopes = [], []
        for j in range(4):
            width = self.weights[j].shape[0]
            b = torch.zeros(width)
            b[:grow] = convs[j].bias.detach().float().cpu()
            s = torch.ones(width)
            s[:grow] = 0.2
            self.biases.append(_channel_vector(b))
            self.slopes.append(_channel_vector(s))
        self.last_bias = _channel_vector(convs[4].bias.detach().float().cpu())
        self.res_scale = _channel_vector(torch.full((feat,), 0.2))

    def _part(self, y: torch.Tensor) -> torch.Tensor:
        part = y[:, : self.grow]
        return part.contiguous(memory_format=torch.channels_last) if self.copy_parts else part

    def tensors(self, j: int, x: torch.Tensor, y: torch.Tensor | None) -> dict[str, torch.Tensor]:
        g = self.grow
        if j == 0:
            return {"x": x, "w": self.weights[0], "bias": self.biases[0], "slope": self.slopes[0]}
        assert y is not None
        base = {"x": self._part(y), "w": self.weights[j], "z": y[:, g:]}
        if j < 4:
            return base | {"bias": self.biases[j], "slope": self.slopes[j]}
        return base | {"bias": self.last_bias, "res_scale": self.res_scale, "res": x}

    def tune(self, x: torch.Tensor) -> None:
        y = None
        for j, fc in enumerate(self.graphs):
            t = self.tensors(j, x, y)
            fc.tune(t)
            y = fc(t)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        y = None
        for j, fc in enumerate(self.graphs):
            y = fc(self.tensors(j, x, y))
        assert y is not None
        return y


def build_graphs(handle: Any, block: Any, x: torch.Tensor, copy_parts: bool) -> list[FusedConv]:
    """The five graphs of a dense block fed ``x``'s shape and strides, built on stand-in tensors in order."""
    stand_in = FusedDenseBlock(block, [], copy_parts)
    grow = stand_in.grow
    graphs: list[FusedConv] = []
    y = x
    for j in range(4):
        inp = x if j == 0 else stand_in._part(y)
        like = {"bias": stand_in.biases[j], "slope": stand_in.slopes[j]}
        epi: tuple[str, ...] = ("bias", "leaky")
        if j > 0:
            like["z"], epi = y[:, grow:], ("z", "bias", "leaky")
        graphs.append(FusedConv(handle, inp, stand_in.weights[j], like, epi, stand_in.weights[j].shape[0]))
        y = graphs[-1].out
    like = {"z": y[:, grow:], "bias": stand_in.last_bias, "res_scale": stand_in.res_scale, "res": x}
    feat = x.shape[1]
    graphs.append(FusedConv(handle, stand_in._part(y), stand_in.weights[4], like, ("z", "bias", "res"), feat))
    return graphs


def block_rows(handle: Any, roof: float, copy_parts: bool) -> dict[str, Any]:
    """One dense block at 480p: each fused graph checked and timed, against PyTorch's pieces."""
    from reelgen.core.enhance.upscale.arch import ResidualDenseBlock
    from reelgen.core.enhance.upscale.regroup import RegroupedDenseBlock

    torch.manual_seed(0)
    block = _random_fill(ResidualDenseBlock()).cuda().half().to(memory_format=torch.channels_last)
    x = torch.randn(1, 64, 480, 854, device="cuda", dtype=torch.float16).contiguous(
        memory_format=torch.channels_last
    )
    start = time.perf_counter()
    fused = FusedDenseBlock(block, build_graphs(torch_handle(handle), block, x, copy_parts), copy_parts)
    build_s = time.perf_counter() - start
    fused.tune(x)
    with torch.inference_mode():
        ref32 = copy.deepcopy(block).float()(x.float())
        stock = block(x)
        regrouped = RegroupedDenseBlock(block).cuda()
        mine = fused(x).clone()

        def rel(a: torch.Tensor) -> float:
            return float((a.float() - ref32).norm() / ref32.norm())

        flops = 2.0 * 9 * 480 * 854 * (64 * 192 + 32 * (160 + 128 + 96 + 64))
        compiled = torch.compile(regrouped, dynamic=False)
        rows = {
            "copy_parts": copy_parts,
            "build_s": round(build_s, 1),
            "plans": [fc.plans for fc in fused.graphs],
            "graph_ms": [
                round(min(t[1] for t in fc.timings if isinstance(t[1], float)), 4) for fc in fused.graphs
            ],
            "plan_timings": [fc.timings for fc in fused.graphs],
            "relative_error_vs_fp32": {
                "stock_fp16": rel(stock),
                "regrouped_fp16": rel(regrouped(x)),
                "cudnn_fused": rel(mine),
            },
        }
        for name, fn in (
            ("stock_eager", lambda: block(x)),
            ("regrouped_eager", lambda: regrouped(x)),
            ("regrouped_compiled", lambda: compiled(x)),
            ("cudnn_fused", lambda: fused(x)),
        ):
            seconds = timed(fn, 20)
            rows[name] = {
                "ms": round(seconds * 1e3, 4),
                "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
            }
        torch._dynamo.reset()
    return rows


def torch_handle(handle: Any) -> Any:
    import cudnn

    cudnn.set_stream(handle, torch.cuda.current_stream().cuda_stream)
    return handle


class FusedRRDBNet:
    """RRDBNet x4plus with every dense block fused (``FusedDenseBlock``), the RRDB residuals in PyTorch."""

    def __init__(self, handle: Any, net: Any, x: torch.Tensor, copy_parts: bool) -> None:
        self.net = net
        with torch.inference_mode():
            feat = net.conv_first(x)
        graphs = build_graphs(handle, net.body[0].rdb1, feat, copy_parts)
        self.blocks = [
            [FusedDenseBlock(getattr(rrdb, name), graphs, copy_parts) for name in ("rdb1", "rdb2", "rdb3")]
            for rrdb in net.body
        ]
        self.blocks[0][0].tune(feat)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        net = self.net
        feat = net.conv_first(x)
        body = feat
        for row in self.blocks:
            inner = body
            for b in row:
                inner = b(inner)
            body = torch.add(body, inner, alpha=0.2)
        feat = feat + net.conv_body(body)
        feat = net.lrelu(net.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")))
        feat = net.lrelu(net.conv_up2(F.interpolate(feat, scale_factor=2, mode="nearest")))
        return net.conv_last(net.lrelu(net.conv_hr(feat)))


def network_rows(handle: Any, roof: float, copy_parts: bool) -> dict[str, Any]:
    """The whole x4plus network on one 480p frame: fused blocks eager and in a CUDA graph, against compiled regrouped."""
    from reelgen.core.enhance.upscale.arch import RRDBNet
    from reelgen.core.enhance.upscale.torch_model import TorchUpscaler

    torch.manual_seed(0)
    base = _random_fill(RRDBNet())
    x = torch.rand(1, 3, 480, 854, device="cuda", dtype=torch.float16).contiguous(
        memory_format=torch.channels_last
    )
    flops = conv_flops(copy.deepcopy(base).to("cuda", torch.float16), x)
    net = copy.deepcopy(base).to("cuda", torch.float16).to(memory_format=torch.channels_last).eval()
    out: dict[str, Any] = {"copy_parts": copy_parts, "gflop_per_frame": round(flops / 1e9, 1)}
    start = time.perf_counter()
    with torch.inference_mode():
        fused = FusedRRDBNet(torch_handle(handle), net, x, copy_parts)
        out["build_s"] = round(time.perf_counter() - start, 1)
        ref = net(x).float()
        mine = fused(x).float()
        out["relative_error_vs_stock_fp16"] = float((mine - ref).norm() / ref.norm())
        seconds = timed(lambda: fused(x), 5)
        out["fused_eager"] = {
            "ms": round(seconds * 1e3, 2),
            "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
        }
        try:
            static = x.clone()
            stream = torch.cuda.Stream()
            stream.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(stream):
                torch_handle(handle)
                fused(static)
            torch.cuda.current_stream().wait_stream(stream)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                torch_handle(handle)
                result = fused(static)
            torch_handle(handle)
            graph.replay()
            torch.cuda.synchronize()
            out["cuda_graph_matches_eager"] = bool(torch.equal(result.float(), mine))
            seconds = timed(graph.replay, 10)
            out["fused_cuda_graph"] = {
                "ms": round(seconds * 1e3, 2),
                "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
            }
        except Exception as exc:
            out["fused_cuda_graph"] = f"{type(exc).__name__}: {str(exc)[:300]}"
        torch_handle(handle)
        up = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "rrdb-x4plus", "random").to("cuda", torch.float16)
        up.net = torch.compile(up.net, dynamic=False)
        seconds = timed(lambda: up.net(x), 10)
        out["regrouped_compiled"] = {
            "ms": round(seconds * 1e3, 2),
            "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tag", default="", help="suffix of the JSON file's name")
    parser.add_argument("--skip-network", action="store_true")
    args = parser.parse_args()
    import cudnn

    torch.backends.cudnn.benchmark = True
    roof = gemm_roof()
    handle = cudnn.create_handle()
    result: dict[str, Any] = {
        "device": torch.cuda.get_device_name(),
        "torch": torch.__version__,
        "cudnn": cudnn.backend_version(),
        "frontend": cudnn.__version__,
        "roof_tflops": round(roof, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"rrdb-cudnn{args.tag}.json"

    def measure(key: str, rows: Any) -> None:
        """``rows()`` under ``key`` (its error in one line if it fails), printed and saved at once."""
        try:
            result[key] = rows()
        except Exception as exc:
            result[key] = f"{type(exc).__name__}: {str(exc)[:600]}"
        print(json.dumps({key: result[key]}), flush=True)
        path.write_text(json.dumps(result, indent=1))

    for copy_parts in (False, True):
        measure(f"block_copy_parts_{copy_parts}", lambda c=copy_parts: block_rows(handle, roof, c))
    # The whole network once, with the first way of reading the parts whose block ran.
    working = [c for c in (False, True) if not isinstance(result[f"block_copy_parts_{c}"], str)]
    if working and not args.skip_network:
        measure(f"network_copy_parts_{working[0]}", lambda: network_rows(handle, roof, working[0]))


if __name__ == "__main__":
    main()
