#!/usr/bin/env bash
# The device checks, as one script for a machine with a CUDA GPU (python3 with torch, numpy,
# pytest, Pillow, h5py there): the CUDA-marked tests, a CPU-vs-CUDA suite sample with the
# device forced to CUDA, and the engine and LSTM benchmarks on CUDA. Output: $OUT or ./gpu_out.
set -u
out="${OUT:-gpu_out}"; mkdir -p "$out"
export PYTHONPATH="$PWD" PYTHONUNBUFFERED=1 KERAS_HOME="$PWD/.gpu_keras_home"
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))" 2>&1 | tee "$out/env.txt"
python3 -m pytest -q -m cuda tests -p no:cacheprovider 2>&1 | tail -5 | tee "$out/cuda_tests.txt"
python3 -m pytest -q -x -p no:cacheprovider tests/training tests/models tests/layers/test_recurrent_fast_path.py tests/layers/test_recurrent_parity.py 2>&1 | tail -3 | tee "$out/suite_sample.txt"
timeout 240 python3 bench/bench_engine.py --device cuda --repeats 5 --only A,B,C,D 2>&1 | grep -v Warning | tee "$out/bench_engine_cuda.txt"
timeout 150 python3 bench/bench_lstm.py --device cuda --repeats 5 2>&1 | tee "$out/bench_lstm_cuda.txt"
