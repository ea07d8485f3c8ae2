"""The fast path for one text through MiniLM: what every chat turn's one encode takes.

For one short text, most of the eager model's time is Python dispatch between ~200 small
tensor operations (transformers' wrappers and hooks, ``nn.Module`` calls), not arithmetic.
So the network and its pooling are traced once into a frozen TorchScript graph, and that
graph is exported to ONNX Runtime when it is installed (a further fifth off here, in C++
without the interpreter lock). Either path is checked against the eager model when it is
built and must agree to 1e-5, or it is not used.

Only for a single unpadded text: the trace records how the model handles an all-ones
attention mask, which a padded batch does not have.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
TRACE_TEXT = "Trace the network."
# Longer than the traced text, so that the check also covers another sequence length.
CHECK_TEXT = "Check the compiled network against the eager model once, when it is built."
TOLERANCE = 1e-5


@dataclass(frozen=True)
class SingleText:
    """Runs the tokenizer's output for one text (torch tensors) to its unit vector (1, dim)."""

    runtime: str  # "onnxruntime" or "torchscript"
    run: Callable[[Mapping[str, Any]], np.ndarray]


def pool(hidden: Any, attention_mask: Any) -> Any:
    """Mean over the real tokens, then unit length: sentence-transformers' Pooling + Normalize."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, p=2, dim=1)


def compiled_paths(model: Any, *, threads: int = 1) -> list[SingleText]:
    """The compiled paths this machine can build for ``model``, fastest first: ONNX Runtime
    (when installed), then TorchScript. Empty if the network does not trace."""
    transformer = model[0]
    example = transformer.tokenizer([TRACE_TEXT], return_tensors="pt")
    traced = trace_network(transformer.auto_model, example)
    if traced is None:
        return []
    paths = (onnx_path(traced, example, threads), torchscript_path(traced))
    return [p for p in paths if p is not None]


def build(model: Any, *, threads: int = 1) -> SingleText | None:
    """The fastest compiled path that agrees with ``model`` on a text of another length than
    the traced one; None if none does."""
    import torch

    transformer = model[0]
    check = transformer.tokenizer([CHECK_TEXT], return_tensors="pt")
    with torch.inference_mode():
        expected = pool(transformer.auto_model(**check).last_hidden_state, check["attention_mask"])
    for path in compiled_paths(model, threads=threads):
        got = path.run(check)
        if got.shape == tuple(expected.shape) and np.allclose(
            got, expected.numpy(), atol=TOLERANCE
        ):
            return path
        log.warning("the %s encoder path disagrees with the model; not using it", path.runtime)
    return None


def _network(bert: Any) -> Any:
    """BERT plus pooling as one module, so that one graph covers the whole encode."""
    import torch

    class Network(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return pool(hidden, attention_mask)

    return Network().eval()


def trace_network(bert: Any, example: Mapping[str, Any]) -> Any:
    import torch

    try:
        with torch.no_grad(), warnings.catch_warnings():
            # transformers' shape checks become constants in the trace; for one text they are.
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            traced = torch.jit.trace(_network(bert), tuple(example[k] for k in INPUTS))
            return torch.jit.freeze(traced)
    except Exception:  # an unusual model or torch build: the eager path still works
        log.warning("could not trace the encoder; single texts take the eager path", exc_info=True)
        return None


def torchscript_path(traced: Any) -> SingleText:
    import torch

    def run(batch: Mapping[str, Any]) -> np.ndarray:
        with torch.inference_mode():
            return np.asarray(traced(*(batch[k] for k in INPUTS)).numpy(), dtype=np.float32)

    return SingleText("torchscript", run)


def onnx_path(traced: Any, example: Mapping[str, Any], threads: int) -> SingleText | None:
    """The traced graph exported to ONNX Runtime (through a temporary file); None without
    onnxruntime or if the export fails."""
    # ONNX Runtime's Linux wheels report usage to Microsoft and keep a device id and an event
    # cache under ~/.cache unless told not to before they start; a service that holds the
    # firm's data sends nothing anywhere. Set ORT_DISABLE_TELEMETRY=0 to opt in.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    try:
        import onnxruntime as ort
        import torch
    except ImportError:
        return None
    try:
        with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's notes on the legacy path
            path = Path(tmp) / "minilm.onnx"
            torch.onnx.export(
                traced,
                tuple(example[k] for k in INPUTS),
                path,
                input_names=list(INPUTS),
                output_names=["embedding"],
                dynamic_axes={name: {1: "tokens"} for name in INPUTS},
                opset_version=17,
                dynamo=False,
            )
            graph = path.read_bytes()
        options = ort.SessionOptions()
        # One thread, like torch: a second would fight the web server for the two cores.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
    except Exception:
        log.warning("could not export the encoder to ONNX Runtime", exc_info=True)
        return None

    def run(batch: Mapping[str, Any]) -> np.ndarray:
        feeds = {k: np.asarray(batch[k], dtype=np.int64) for k in INPUTS}
        return np.asarray(session.run(None, feeds)[0], dtype=np.float32)

    return SingleText("onnxruntime", run)
