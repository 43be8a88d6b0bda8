//===- Neuron.td - The neuron dialect (Trainium-like core) --*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the `neuron` dialect: what one Trainium-like
// NeuronCore does. Its programs work on memrefs: HBM buffers are the
// function's memrefs; SBUF and PSUM buffers come from neuron.sbuf_alloc and
// neuron.psum_alloc, partition-major. The dialect reference is generated
// from this file.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_NEURON_NEURON_TD
#define FUNGIBLE_DIALECTS_NEURON_NEURON_TD

include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Neuron_Dialect : Dialect {
  let name = "neuron";
  let summary = "A Trainium-like NeuronCore program: SBUF, PSUM, DMA, engines";
  let description = [{
    The `neuron` dialect says what a Trainium-like NeuronCore does, at the
    level an NKI kernel author thinks in (limits from shared/HARDWARE.md,
    A2):

    - **SBUF** (`neuron.sbuf_alloc`) is 128 partitions; a buffer is
      `partitions x free` with at most 128 partitions. The bytes per
      partition of the buffers live at a point must fit the function's
      `neuron.sbuf_partition_bytes`.
    - **PSUM** (`neuron.psum_alloc`) holds fp32 (or i32) accumulators in 8
      banks of 2 KiB per partition; a buffer is one bank (at most 512
      fp32 per partition), and at most 8 can be live.
    - **DMA** queues move tiles between HBM and SBUF: `neuron.dma_load`
      (optionally transposing, rows of the HBM tile becoming the free
      dimension) and `neuron.dma_store`.
    - **TensorEngine**: `neuron.matmul` multiplies a stationary tile
      (contraction on the partitions, at most 128x128) by a moving tile (at
      most 512 wide) into a PSUM bank, starting or continuing an
      accumulation group; `neuron.transpose` transposes a tile into one.
    - **Vector, Scalar (activation) and GpSimd engines**:
      `neuron.elementwise` applies its scalar body to equally shaped tiles
      (`neuron.iota` in the body: the element's partition or free index).
    - **Queues and semaphores**: every engine runs its own instruction
      queue. An op may `signal` a semaphore when it finishes; `neuron.wait`
      stops one engine's queue until every op issued before it that
      signals that semaphore has finished.

    `wl-lower{target=trn1|trn2}` produces these programs; with `emulate`
    they continue to loops and memrefs and run on the host, the functional
    emulator of the Trainium family.
  }];
  let cppNamespace = "::fungible::neuron";
}

def Neuron_Engine : I32EnumAttr<"Engine", "a NeuronCore engine queue", [
    I32EnumAttrCase<"Sync", 0, "sync">,
    I32EnumAttrCase<"Tensor", 1, "tensor">,
    I32EnumAttrCase<"Vector", 2, "vector">,
    I32EnumAttrCase<"Scalar", 3, "scalar">,
    I32EnumAttrCase<"GpSimd", 4, "gpsimd">]> {
  let cppNamespace = "::fungible::neuron";
}

class Neuron_Op<string mnemonic, list<Trait> traits = []> :
    Op<Neuron_Dialect, mnemonic, traits>;

def Neuron_Tile : MemRefRankOf<[AnyType], [2]>;
def Neuron_HbmRef : MemRefOf<[AnyType]>;

def Neuron_SbufAllocOp : Neuron_Op<"sbuf_alloc"> {
  let summary = "Reserves an SBUF buffer of partitions x free elements";
  let description = [{
    At most 128 partitions. A buffer lives to the end of the region that
    holds it; the verifier adds up the bytes per partition of the buffers
    live where this one is allocated against the function's
    `neuron.sbuf_partition_bytes`.

    ```mlir
    %t = neuron.sbuf_alloc : memref<128x512xbf16>
    ```
  }];
  let results = (outs Res<Neuron_Tile, "",
      [MemAlloc<AutomaticAllocationScopeResource>]>:$buffer);
  let assemblyFormat = "attr-dict `:` type($buffer)";
  let hasVerifier = 1;
}

def Neuron_PsumAllocOp : Neuron_Op<"psum_alloc"> {
  let summary = "Reserves a PSUM bank: partitions x (at most 512) fp32";
  let description = [{
    One PSUM bank: at most 128 partitions of at most 2 KiB (512 f32 or
    i32). A NeuronCore has 8 banks: the verifier rejects a ninth live one.

    ```mlir
    %acc = neuron.psum_alloc : memref<128x512xf32>
    ```
  }];
  let results = (outs Res<Neuron_Tile, "",
      [MemAlloc<AutomaticAllocationScopeResource>]>:$buffer);
  let assemblyFormat = "attr-dict `:` type($buffer)";
  let hasVerifier = 1;
}

def Neuron_DmaLoadOp : Neuron_Op<"dma_load"> {
  let summary = "A DMA of one tile from HBM into SBUF";
  let description = [{
    Copies the tile at `indices` of `source` (the last two indices are its
    first row and column) into `buffer`: HBM rows onto partitions, or with
    `transpose` HBM columns onto partitions, or with `broadcast` the one
    row at `indices` into every partition (a partition stride of 0: a bias
    row that every partition reads). Indices are signed: elements outside
    `source` (before its start or past its end, in any dimension) read as
    `padding` (zero when absent), which pads ragged tiles and a
    convolution's (or a max pool's -inf) window. Runs on the `sync` DMA
    queue.
  }];
  let arguments = (ins Arg<Neuron_HbmRef, "", [MemRead]>:$source,
                   Variadic<Index>:$indices,
                   Arg<Neuron_Tile, "", [MemWrite]>:$buffer,
                   UnitAttr:$transpose, OptionalAttr<I64Attr>:$signal,
                   UnitAttr:$broadcast, OptionalAttr<TypedAttrInterface>:$padding);
  let assemblyFormat = [{
    $source `[` $indices `]` `->` $buffer attr-dict `:` type($source) `,`
    type($buffer)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$source, "::mlir::ValueRange":$indices,
                   "::mlir::Value":$buffer, "bool":$transpose,
                   "::mlir::IntegerAttr":$signal,
                   CArg<"bool", "false">:$broadcast), [{
      build($_builder, $_state, source, indices, buffer, transpose, signal,
            broadcast, ::mlir::TypedAttr());
    }]>
  ];
  let hasVerifier = 1;
}

def Neuron_DmaStoreOp : Neuron_Op<"dma_store"> {
  let summary = "A DMA of one SBUF tile to HBM";
  let description = [{
    Copies `buffer` to `dest` at `indices`, partitions onto rows, keeping
    only the part that lies inside `dest`. Runs on the `sync` DMA queue.
  }];
  let arguments = (ins Arg<Neuron_Tile, "", [MemRead]>:$buffer,
                   Arg<Neuron_HbmRef, "", [MemWrite]>:$dest,
                   Variadic<Index>:$indices, OptionalAttr<I64Attr>:$signal);
  let assemblyFormat = [{
    $buffer `->` $dest `[` $indices `]` attr-dict `:` type($buffer) `,`
    type($dest)
  }];
  let hasVerifier = 1;
}

def Neuron_MatmulOp : Neuron_Op<"matmul"> {
  let summary = "TensorEngine: stationary^T x moving into a PSUM bank";
  let description = [{
    `psum = (start ? 0 : psum) + stationary^T x moving`, with `stationary`
    of `K x M` and `moving` of `K x N` in SBUF (the contraction K on the
    partitions, at most 128), M at most 128 and N at most 512 (one PSUM
    bank). Operands are bf16, f16, f8E4M3FN or f32 (at a quarter of the
    rate) with an f32 accumulator, or i8 with an i32 one.
  }];
  let arguments = (ins Arg<Neuron_Tile, "", [MemRead]>:$stationary,
                   Arg<Neuron_Tile, "", [MemRead]>:$moving,
                   Arg<Neuron_Tile, "", [MemRead, MemWrite]>:$psum,
                   I1:$start, OptionalAttr<I64Attr>:$signal);
  let assemblyFormat = [{
    $stationary `,` $moving `->` $psum `start` `(` $start `)` attr-dict `:`
    type($stationary) `,` type($moving) `,` type($psum)
  }];
  let hasVerifier = 1;
}

def Neuron_TransposeOp : Neuron_Op<"transpose"> {
  let summary = "TensorEngine: an SBUF tile transposed into a PSUM bank";
  let description = [{
    `psum[f, p] = input[p, f]`, with `input` of `P x F` in SBUF (F at most
    128: the bank's partitions; bf16, f16 or f32) and `psum` of `F x P`,
    f32. The TensorEngine does it as a pass against the identity (NKI's
    `nc_transpose`); the values pass unchanged (f32 holds every bf16 and
    f16 value). An attention's
    probabilities are transposed so that its keys are the contraction of
    the product with V.

    ```mlir
    neuron.transpose %p -> %bank : memref<128x128xf32>, memref<128x128xf32>
    ```
  }];
  let arguments = (ins Arg<Neuron_Tile, "", [MemRead]>:$input,
                   Arg<Neuron_Tile, "", [MemWrite]>:$psum,
                   OptionalAttr<I64Attr>:$signal);
  let assemblyFormat = [{
    $input `->` $psum attr-dict `:` type($input) `,` type($psum)
  }];
  let hasVerifier = 1;
}

def Neuron_ElementwiseOp : Neuron_Op<"elementwise", [SingleBlock]> {
  let summary = "Vector, Scalar or GpSimd engine: elementwise over tiles";
  let description = [{
    Applies the body to every element of the input tiles (SBUF or PSUM)
    and writes the yielded value to the output tile (SBUF). An input has
    the output's shape, or is a `P x 1` column: one scalar per partition,
    read for every element of that partition (the engines' per-partition
    scalar operand). The block takes one scalar per input; the body may use
    scalars defined above it.

    ```mlir
    neuron.elementwise scalar ins(%x : memref<128x512xf32>)
        outs(%y : memref<128x512xf32>) {
    ^bb0(%a: f32):
      %e = math.exp %a : f32
      neuron.yield %e : f32
    }
    ```
  }];
  let arguments = (ins Neuron_Engine:$engine,
      Arg<Variadic<Neuron_Tile>, "", [MemRead]>:$inputs,
      Arg<Neuron_Tile, "", [MemWrite]>:$output,
      OptionalAttr<I64Attr>:$signal);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $engine (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $output `:` type($output) `)` $body attr-dict
  }];
  let hasVerifier = 1;
}

def Neuron_ReduceOp : Neuron_Op<"reduce", [SingleBlock]> {
  let summary = "Vector, Scalar or GpSimd engine: folds each partition";
  let description = [{
    For every partition p, in order over the first `count` free elements f
    of the input tiles: `acc[p, 0] = body(inputs[p, f]..., acc[p, 0])` (the
    access pattern of a ragged last tile is shorter). `acc` is a
    `P x 1` SBUF tile holding the running value (its old contents are the
    fold's start); inputs are `P x F` tiles or `P x 1` per-partition
    columns (SBUF or PSUM). The block takes one scalar per input, then the
    accumulator.

    ```mlir
    neuron.reduce vector ins(%x : memref<128x2048xf32>)
        outs(%acc : memref<128x1xf32>) count(%n) {
    ^bb0(%a: f32, %m: f32):
      %r = arith.maximumf %a, %m : f32
      neuron.yield %r : f32
    }
    ```
  }];
  let arguments = (ins Neuron_Engine:$engine,
      Arg<Variadic<Neuron_Tile>, "", [MemRead]>:$inputs,
      Arg<Neuron_Tile, "", [MemRead, MemWrite]>:$acc, Index:$count,
      OptionalAttr<I64Attr>:$signal);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $engine `ins` `(` $inputs `:` type($inputs) `)`
    `outs` `(` $acc `:` type($acc) `)` `count` `(` $count `)` $body attr-dict
  }];
  let hasVerifier = 1;
}

def Neuron_IotaOp : Neuron_Op<"iota", [Pure, HasParent<"ElementwiseOp">]> {
  let summary = "The partition or free index of the element a "
                "neuron.elementwise body computes";
  let description = [{
    Inside a `neuron.elementwise` body: the index, within the output tile,
    of the element's partition (`dimension = 0`) or free element
    (`dimension = 1`), as the GpSimd engine's iota makes them (a causal
    mask, an identity matrix).

    ```mlir
    neuron.elementwise gpsimd outs(%id : memref<128x128xf32>) {
      %p = neuron.iota {dimension = 0 : i64}
      %f = neuron.iota {dimension = 1 : i64}
      %on = arith.cmpi eq, %p, %f : index
      %x = arith.select %on, %one, %zero : f32
      neuron.yield %x : f32
    }
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntMinValue<0>, IntMaxValue<1>]>:$dimension);
  let results = (outs Index:$result);
  let builders = [
    OpBuilder<(ins "int64_t":$dimension), [{
      build($_builder, $_state, $_builder.getIndexType(),
            static_cast<uint64_t>(dimension));
    }]>
  ];
  let assemblyFormat = "attr-dict";
}

def Neuron_YieldOp : Neuron_Op<"yield",
    [Pure, Terminator, ParentOneOf<["ElementwiseOp", "ReduceOp"]>]> {
  let summary = "The element a neuron.elementwise or neuron.reduce body "
                "computes";
  let arguments = (ins AnyType:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def Neuron_WaitOp : Neuron_Op<"wait"> {
  let summary = "Stops an engine's queue until a semaphore's ops finished";
  let description = [{
    The queue of `engine` waits until every op issued before this one that
    signals `semaphore` has finished.

    ```mlir
    neuron.wait tensor on 0
    ```
  }];
  let arguments = (ins Neuron_Engine:$engine, I64Attr:$semaphore);
  let assemblyFormat = "$engine `on` $semaphore attr-dict";
  let hasVerifier = 1;
}

#endif // FUNGIBLE_DIALECTS_NEURON_NEURON_TD
