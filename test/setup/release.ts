// The release (SIMD) kernel is what importing the package instantiates; make it explicit.
import { releaseFactory, useKernel } from "../../src/kernel.js";

useKernel(releaseFactory(), "simd");
