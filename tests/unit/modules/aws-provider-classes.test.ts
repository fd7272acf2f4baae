import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { IamRole as ImportedIamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Wafv2WebAcl as ImportedWebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { IamRole, wafClasses } from "../../../modules/aws-provider-classes.js";

describe("aws-provider-classes: the provider classes the constructs create, loaded with require", () => {
  it("gives the very classes an import of the resource file gives", () => {
    expect(IamRole).to.equal(ImportedIamRole);
    expect(wafClasses().Wafv2WebAcl).to.equal(ImportedWebAcl);
  });

  it("is the only way main.ts and modules/ load a provider class (type-only imports aside)", () => {
    const files = ["main.ts", ...readdirSync("modules").filter((f) => f.endsWith(".ts")).map((f) => join("modules", f))];
    const valueImports = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => /^import (?!type )[^;]*from "@cdktf\/provider-aws/.test(line))
        .map((line) => `${file}: ${line}`),
    );
    expect(valueImports).to.deep.equal([]);
  });
});
