#!/usr/bin/env bash
# The device checks, as one script for a machine with a CUDA GPU (python3 with torch, numpy,
# pytest, Pillow, h5py there): the CUDA-marked tests, a CPU-vs-CUDA suite sample with the
# device forced to CUDA (the 2-process NCCL test among the cuda tests needs 2 GPUs: NCCL refuses
# two ranks on one GPU), and
# the engine (LSTM workloads C and Chs included), streaming and data-parallel benchmarks on CUDA. Output: $OUT or ./gpu_out.
set -u
out="${OUT:-gpu_out}"; mkdir -p "$out"
export PYTHONPATH="$PWD" PYTHONUNBUFFERED=1 KERAS_HOME="$PWD/.gpu_keras_home"
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))" 2>&1 | tee "$out/env.txt"
python3 -m pytest -q -m cuda tests -p no:cacheprovider 2>&1 | tail -5 | tee "$out/cuda_tests.txt"
python3 -m pytest -q -x -p no:cacheprovider tests/training tests/models tests/layers/test_recurrent_fast_path.py tests/layers/test_recurrent_parity.py 2>&1 | tail -3 | tee "$out/suite_sample.txt"
timeout 240 python3 bench/bench_engine.py --device cuda --repeats 5 --only A,B,C,Chs,D,Dp --no-keras3 2>&1 | grep -v Warning | tee "$out/bench_engine_cuda.txt"
timeout 120 python3 bench/bench_streaming.py --device cuda --repeats 3 2>&1 | tee "$out/bench_streaming_cuda.txt"
timeout 150 python3 bench/bench_distributed.py --device cuda --processes 2 --repeats 3 2>&1 | tee "$out/bench_distributed_cuda.txt"
