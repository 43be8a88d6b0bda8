//===- Mxu.td - The mxu dialect (TPU-like core program) -----*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the `mxu` dialect: what one TPU-like TensorCore does.
// Its programs work on memrefs: HBM buffers are the function's memrefs,
// VMEM buffers come from `mxu.vmem_alloc`; DMAs move (8,128)-aligned tiles
// between them, the MXU multiplies tiles, the VPU computes elementwise on
// tiles. The dialect reference is generated from this file.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_MXU_MXU_TD
#define FUNGIBLE_DIALECTS_MXU_MXU_TD

include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mxu_Dialect : Dialect {
  let name = "mxu";
  let summary = "A TPU-like TensorCore program: VMEM tiles, DMA, MXU, VPU";
  let description = [{
    The `mxu` dialect says what a TPU-like TensorCore does, at the level a
    Pallas kernel author or XLA's TPU back end thinks in:

    - **VMEM** is explicit: `mxu.vmem_alloc` reserves an on-chip buffer of
      `slots x rows x lanes` elements. Rows are a multiple of 8 (sublanes)
      and lanes a multiple of 128, the shape of a vector register; a buffer
      with two slots is double-buffered. The sum of a function's VMEM
      buffers must fit its `mxu.vmem_bytes` attribute.
    - **DMA** between HBM (any memref that is not a VMEM buffer) and VMEM
      moves one tile: `mxu.dma_load` / `mxu.dma_store` start it and
      `mxu.dma_wait` waits for the DMA of a buffer slot. A load reads zeros
      outside its source, on either side and in any dimension (the padding
      of a ragged tile or of a convolution's window); a store writes only
      what lies inside its destination.
    - **MXU**: `mxu.matmul` accumulates a `rows x K` by `K x lanes` tile
      product into an f32 (or i32) accumulator in VMEM. K and the output
      lanes are multiples of the systolic array's dimension (`dim`, 128 or
      256): the weight tile is stationary in the array.
    - **VPU**: `mxu.vpu` applies its scalar body to every element of
      equally shaped VMEM tiles (`mxu.iota` in the body: the element's row
      or lane in the tile).

    `wl-lower{target=tpu-*}` produces these programs; with `emulate` they
    continue to loops and memrefs and run on the host, the functional
    emulator of the TPU family.
  }];
  let cppNamespace = "::fungible::mxu";
}

class Mxu_Op<string mnemonic, list<Trait> traits = []> :
    Op<Mxu_Dialect, mnemonic, traits>;

def Mxu_VmemBuffer : MemRefRankOf<[AnyType], [3]>;
def Mxu_HbmRef : MemRefOf<[AnyType]>;

def Mxu_VmemAllocOp : Mxu_Op<"vmem_alloc"> {
  let summary = "Reserves a VMEM buffer of slots x rows x lanes elements";
  let description = [{
    A VMEM buffer, statically shaped `slots x rows x lanes`: 1 or 2 slots
    (2: double-buffered), rows a multiple of 8 and lanes a multiple of 128.
    A buffer lives to the end of the region that holds it (wrap a program
    in `memref.alloca_scope` to release its buffers after it). The verifier
    adds up the buffers live where this one is allocated and rejects them
    when they exceed the function's `mxu.vmem_bytes`.

    ```mlir
    %a = mxu.vmem_alloc : memref<2x128x256xbf16>
    ```
  }];
  let results = (outs Res<Mxu_VmemBuffer, "",
      [MemAlloc<AutomaticAllocationScopeResource>]>:$buffer);
  let assemblyFormat = "attr-dict `:` type($buffer)";
  let hasVerifier = 1;
}

def Mxu_DmaLoadOp : Mxu_Op<"dma_load"> {
  let summary = "Starts a DMA of one tile from HBM into a VMEM buffer slot";
  let description = [{
    Copies the tile at `indices` of `source` (the last two indices are the
    tile's first row and lane; the others select it in the leading
    dimensions) into slot `slot` of `buffer`. Indices are signed: elements
    outside `source` (before its start or past its end, in any dimension)
    read as `padding` (zero when absent). This is how ragged tiles are
    padded, and how a convolution reads its zero padding, or a max pool
    its -inf padding, without a padded copy of its input.

    ```mlir
    mxu.dma_load %hbm[%i, %k] -> %a[%slot]
        : memref<1000x1000xbf16>, memref<2x128x256xbf16>
    ```
  }];
  let arguments = (ins Arg<Mxu_HbmRef, "", [MemRead]>:$source,
                   Variadic<Index>:$indices,
                   Arg<Mxu_VmemBuffer, "", [MemWrite]>:$buffer,
                   Index:$slot, OptionalAttr<TypedAttrInterface>:$padding);
  let assemblyFormat = [{
    $source `[` $indices `]` `->` $buffer `[` $slot `]` attr-dict `:`
    type($source) `,` type($buffer)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$source, "::mlir::ValueRange":$indices,
                   "::mlir::Value":$buffer, "::mlir::Value":$slot), [{
      build($_builder, $_state, source, indices, buffer, slot,
            ::mlir::TypedAttr());
    }]>
  ];
  let hasVerifier = 1;
}

def Mxu_DmaStoreOp : Mxu_Op<"dma_store"> {
  let summary = "Starts a DMA of one tile from a VMEM buffer slot to HBM";
  let description = [{
    Copies slot `slot` of `buffer` to `dest` at `indices`, keeping only the
    part that lies inside `dest` (a padded edge tile is clipped).
  }];
  let arguments = (ins Arg<Mxu_VmemBuffer, "", [MemRead]>:$buffer,
                   Index:$slot,
                   Arg<Mxu_HbmRef, "", [MemWrite]>:$dest,
                   Variadic<Index>:$indices);
  let assemblyFormat = [{
    $buffer `[` $slot `]` `->` $dest `[` $indices `]` attr-dict `:`
    type($buffer) `,` type($dest)
  }];
  let hasVerifier = 1;
}

def Mxu_DmaWaitOp : Mxu_Op<"dma_wait"> {
  let summary = "Waits for the DMA into or out of a buffer slot";
  let description = [{
    Blocks until the DMA started on slot `slot` of `buffer` has finished
    (each slot has its own DMA semaphore); it returns at once when none is
    in flight there. Reading a slot that a load
    started on, or overwriting one a store started from, before waiting is
    a race on the hardware; the host emulator performs DMAs at once.
  }];
  let arguments = (ins Arg<Mxu_VmemBuffer, "", [MemRead, MemWrite]>:$buffer,
                   Index:$slot);
  let assemblyFormat = "$buffer `[` $slot `]` attr-dict `:` type($buffer)";
}

def Mxu_MatmulOp : Mxu_Op<"matmul"> {
  let summary = "MXU: accumulates a tile product into a VMEM accumulator";
  let description = [{
    `acc[accSlot] += lhs[lhsSlot] x rhs[rhsSlot]`, with `lhs` of
    `rows x K`, `rhs` of `K x lanes` and `acc` of `rows x lanes`. The weight
    tile (`rhs`) is stationary in the `dim x dim` systolic array, so K and
    lanes must be multiples of `dim` (128, or 256 on v6e); rows stream
    through 8 at a time. Operands are bf16, f16, f8E4M3FN or f32 (f32 runs
    as three bf16 passes) with an f32 accumulator, or i8 with an i32 one.

    ```mlir
    mxu.matmul %a[%s], %b[%s] -> %acc[%c0] {dim = 128 : i64}
        : memref<2x256x512xbf16>, memref<2x512x256xbf16>, memref<1x256x256xf32>
    ```
  }];
  let arguments = (ins Arg<Mxu_VmemBuffer, "", [MemRead]>:$lhs, Index:$lhsSlot,
                   Arg<Mxu_VmemBuffer, "", [MemRead]>:$rhs, Index:$rhsSlot,
                   Arg<Mxu_VmemBuffer, "", [MemRead, MemWrite]>:$acc,
                   Index:$accSlot, I64Attr:$dim);
  let assemblyFormat = [{
    $lhs `[` $lhsSlot `]` `,` $rhs `[` $rhsSlot `]` `->` $acc `[` $accSlot `]`
    attr-dict `:` type($lhs) `,` type($rhs) `,` type($acc)
  }];
  let hasVerifier = 1;
}

def Mxu_VpuOp : Mxu_Op<"vpu", [AttrSizedOperandSegments, SingleBlock]> {
  let summary = "VPU: an elementwise computation over VMEM tiles";
  let description = [{
    Applies the body to every element of the input tiles
    (`inputs[i][inputSlots[i]]`) and writes the yielded value to the output
    tile (`output[outputSlot]`). All tiles are `rows x lanes`, rows a
    multiple of 8 and lanes of 128: whole vector registers. The block
    takes one scalar per input; the body may use scalars defined above it.

    The inputs listed in `row_broadcast` (by position) are read at their
    row 0 for every row: a sublane broadcast of one row of lanes (a
    squeeze-excitation gate over a feature map). Such an input has the
    output's lanes and any whole number of sublane groups. The inputs
    listed in `lane_broadcast` are read at lane 0 of each row for every
    lane: a per-row value (a row's max or mean, as `mxu.reduce` leaves
    it). Such an input has the output's rows and any lanes.

    ```mlir
    mxu.vpu ins(%x, %y : memref<2x8x128xf32>, memref<2x8x128xf32>)
        slots(%s, %s) outs(%z[%s] : memref<2x8x128xf32>) {
    ^bb0(%a: f32, %b: f32):
      %sum = arith.addf %a, %b : f32
      mxu.yield %sum : f32
    }
    ```
  }];
  let arguments = (ins
      Arg<Variadic<Mxu_VmemBuffer>, "", [MemRead]>:$inputs,
      Variadic<Index>:$inputSlots,
      Arg<Mxu_VmemBuffer, "", [MemWrite]>:$output, Index:$outputSlot,
      OptionalAttr<DenseI64ArrayAttr>:$row_broadcast,
      OptionalAttr<DenseI64ArrayAttr>:$lane_broadcast);
  let regions = (region SizedRegion<1>:$body);
  let builders = [
    OpBuilder<(ins "::mlir::ValueRange":$inputs,
                   "::mlir::ValueRange":$inputSlots, "::mlir::Value":$output,
                   "::mlir::Value":$outputSlot), [{
      build($_builder, $_state, inputs, inputSlots, output, outputSlot,
            ::mlir::DenseI64ArrayAttr(), ::mlir::DenseI64ArrayAttr());
    }]>
  ];
  let assemblyFormat = [{
    (`ins` `(` $inputs^ `:` type($inputs) `)` `slots` `(` $inputSlots `)`)?
    `outs` `(` $output `[` $outputSlot `]` `:` type($output) `)`
    $body attr-dict
  }];
  let hasVerifier = 1;
}

def Mxu_ReduceOp : Mxu_Op<"reduce", [AttrSizedOperandSegments, SingleBlock]> {
  let summary = "XLU: folds each row of tiles across its lanes";
  let description = [{
    For every row r, in order over the first `count` lanes l of the input
    tiles: `acc[r, 0] = body(inputs[r, l]..., acc[r, 0])`. Lane 0 of the
    accumulator tile (`acc[accSlot]`) holds the running value (its old
    contents are the fold's start); its other lanes are left as they are.
    The inputs listed in `lane_broadcast` are per-row values, read at lane
    0 of their row (a variance's mean). Every tile has the accumulator's
    rows. The block takes one scalar per input, then the accumulator.

    On a TensorCore the cross-lane unit (XLU) reduces a vector register's
    lanes; the emulator folds the lanes in order, as the reference's loop
    does.

    ```mlir
    mxu.reduce ins(%x : memref<1x8x1024xf32>) slots(%c0)
        outs(%m[%c0] : memref<1x8x128xf32>) count(%n) {
    ^bb0(%a: f32, %acc: f32):
      %r = arith.maximumf %a, %acc : f32
      mxu.yield %r : f32
    }
    ```
  }];
  let arguments = (ins
      Arg<Variadic<Mxu_VmemBuffer>, "", [MemRead]>:$inputs,
      Variadic<Index>:$inputSlots,
      Arg<Mxu_VmemBuffer, "", [MemRead, MemWrite]>:$acc, Index:$accSlot,
      Index:$count, OptionalAttr<DenseI64ArrayAttr>:$lane_broadcast);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `ins` `(` $inputs `:` type($inputs) `)` `slots` `(` $inputSlots `)`
    `outs` `(` $acc `[` $accSlot `]` `:` type($acc) `)`
    `count` `(` $count `)` $body attr-dict
  }];
  let hasVerifier = 1;
}

def Mxu_IotaOp : Mxu_Op<"iota", [Pure, HasParent<"VpuOp">]> {
  let summary = "The row or lane of the element an mxu.vpu body computes";
  let description = [{
    Inside an `mxu.vpu` body: the index, within the output tile, of the
    element's row (`dimension = 0`, the sublane axis) or lane
    (`dimension = 1`). A TensorCore makes these with an iota of its vector
    registers; a causal mask compares them, offset by where the tile lies.

    ```mlir
    mxu.vpu ins(%s : memref<1x8x128xf32>) slots(%c0)
        outs(%m[%c0] : memref<1x8x128xf32>) {
    ^bb0(%x: f32):
      %row = mxu.iota {dimension = 0 : i64}
      %lane = mxu.iota {dimension = 1 : i64}
      %above = arith.cmpi ugt, %lane, %row : index
      %y = arith.select %above, %ninf, %x : f32
      mxu.yield %y : f32
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

def Mxu_YieldOp : Mxu_Op<"yield",
    [Pure, Terminator, ParentOneOf<["VpuOp", "ReduceOp"]>]> {
  let summary = "The element an mxu.vpu or mxu.reduce body computes";
  let arguments = (ins AnyType:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

#endif // FUNGIBLE_DIALECTS_MXU_MXU_TD
