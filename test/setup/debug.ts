// The debug build (assertions on, source map) through @assemblyscript/loader, whose env.abort
// turns a failed kernel assertion into `Error("abort: <message> at assembly/<file>.ts:<line>:<col>")`.
import { instantiateSync } from "@assemblyscript/loader";
import { readFileSync } from "node:fs";
import { type KernelExports, useKernel } from "../../src/kernel.js";

const bytes = readFileSync(new URL("../../build/debug.wasm", import.meta.url));
const module = new WebAssembly.Module(bytes);
useKernel(() => instantiateSync(module, {}).exports as unknown as KernelExports, "custom");
