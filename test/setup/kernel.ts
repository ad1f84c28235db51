// Setup of every kernel test project: check that the library really loaded the project's build
// (a wrong alias would otherwise run the whole suite against the release build three times).
import { kernelBuild } from "../../src/kernel.js";
import { testBuildName } from "./kernel-builds.js";

const loaded = kernelBuild().name;
if (loaded !== testBuildName()) {
  throw new Error(`the ${testBuildName()} test project loaded the ${loaded} kernel build`);
}
