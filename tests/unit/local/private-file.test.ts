import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { writePrivateFile } from "../../../local/credentials/private-file.js";
import { DEFAULT_OTHER_ACCOUNT_ID } from "../../../local/credentials/other-account-role.js";
import { startOfflineMode } from "../../../local/offline-mode.js";

describe("credentials file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sia-private-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const modeOf = (file: string) => statSync(file).mode & 0o777;

  it("is created readable by its owner only, even under a permissive umask", () => {
    const previous = process.umask(0);
    try {
      writePrivateFile(join(dir, "credentials.json"), "{}\n");
    } finally {
      process.umask(previous);
    }
    expect(modeOf(join(dir, "credentials.json"))).to.equal(0o600);
    expect(readFileSync(join(dir, "credentials.json"), "utf8")).to.equal("{}\n");
  });

  it("replaces a world-readable file with a new private one, leaving no temp file behind", () => {
    const file = join(dir, "credentials.json");
    writeFileSync(file, "old", { mode: 0o644 });
    const before = statSync(file).ino;
    writePrivateFile(file, "new");
    expect(modeOf(file)).to.equal(0o600);
    expect(statSync(file).ino).to.not.equal(before); // renamed over, never rewritten in place
    expect(readdirSync(dir)).to.deep.equal(["credentials.json"]);
  });

  it("replaces a symlink instead of writing through it", () => {
    const target = join(dir, "elsewhere.txt");
    writeFileSync(target, "untouched", { mode: 0o644 });
    const file = join(dir, "credentials.json");
    symlinkSync(target, file);
    writePrivateFile(file, "secret");
    expect(readFileSync(target, "utf8")).to.equal("untouched");
    expect(lstatSync(file).isSymbolicLink()).to.equal(false);
    expect(readFileSync(file, "utf8")).to.equal("secret");
    expect(modeOf(file)).to.equal(0o600);
  });

  it("fails without leaving a temp file when the folder does not exist", () => {
    expect(() => writePrivateFile(join(dir, "missing", "credentials.json"), "x")).to.throw(/ENOENT/);
    expect(readdirSync(dir)).to.deep.equal([]);
  });
});

describe("offline mode: --account-id", () => {
  it("refuses the other-account role's account, naming the role", async () => {
    const error = await startOfflineMode({ accountId: DEFAULT_OTHER_ACCOUNT_ID, stackDir: "/nonexistent" }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.equal(
      "--account-id: 444455556666 is the account of the offline mode's other-account role (other-account-caller): pick another account id",
    );
  });

  it("refuses any account equal to the other-account role's, not only the default one", async () => {
    const error = await startOfflineMode({ accountId: "111122223333", otherAccountId: "111122223333", stackDir: "/nonexistent" }).catch((caught: unknown) => caught);
    expect((error as Error).message).to.match(/^--account-id: 111122223333 is the account of the offline mode's other-account role/);
  });

  it("lets a different account through to loading the stack", async () => {
    const error = await startOfflineMode({ accountId: "123456789012", stackDir: join(tmpdir(), "sia-no-such-stack") }).catch((caught: unknown) => caught);
    expect((error as Error).message).to.not.match(/other-account role/);
  });
});
