// The scalar fallback build, used when a host rejects SIMD.
import { scalarFactory, useKernel } from "../../src/kernel.js";

useKernel(scalarFactory(), "scalar");
