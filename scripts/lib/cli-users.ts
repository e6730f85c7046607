// The bodies of `mpdesk user create` and `mpdesk user grant`: who may sign in, and what they may
// see. The rules themselves live in lib/auth (manage-users.ts, account-members.ts), shared with
// the Users page; this module reads flags and prints.
import { createInterface } from "node:readline";
import { accountsNamed, fail, usageError } from "./cli-common";
import type { CliFlags } from "./cli-format";

// A usage mistake: the caller prints the usage and exits 2.
const describeAccount = (a: { appId: string; displayName: string | null }) => (a.displayName ? `${a.appId} (${a.displayName})` : a.appId);

/** `user create --email E [--password P] [--role admin|viewer] [--account <AppID> …]` */
export async function createUserCommand(flags: CliFlags): Promise<number> {
  const { z } = await import("zod");
  const { getPrisma } = await import("../../lib/db");
  const { createUser } = await import("../../lib/auth/manage-users");
  const email = z.email().safeParse(flags.value("email", true).trim().toLowerCase());
  if (!email.success) throw usageError("--email is not an e-mail address");
  const role = flags.value("role") ?? "viewer";
  if (role !== "admin" && role !== "viewer") throw usageError("--role is admin or viewer");
  const named = await accountsNamed(flags.values("account"));
  if (!named) return 1;
  const prisma = getPrisma();
  if (await prisma.user.findUnique({ where: { email: email.data }, select: { id: true } })) {
    return fail(`A user ${email.data} already exists.`);
  }
  const password = flags.value("password") ?? (await readPassword());
  if (password.length < 8) return fail("The password must be at least 8 characters.");
  if (password.length > 200) return fail("The password must be at most 200 characters.");
  const created = await createUser(prisma, { email: email.data, role, password }, { accountIds: named.map((a) => a.id) });
  if (!created.ok) return fail(`A user ${email.data} already exists.`);
  if (created.administrator) {
    console.log(`Created administrator ${created.email}: manages users and accounts, admin on every account.`);
  } else if (named.length) {
    console.log(`Created member ${created.email}: ${role} on ${named.map(describeAccount).join(", ")}.`);
  } else {
    console.log(`Created member ${created.email}: viewer on every account that exists now (${created.accountIds.length}).`);
  }
  return 0;
}

/** `user grant --email E --account <AppID> --role admin|viewer|none` */
export async function grantUserCommand(flags: CliFlags): Promise<number> {
  const { getPrisma } = await import("../../lib/db");
  const { grantAccountRole } = await import("../../lib/auth/account-members");
  const email = flags.value("email", true).trim().toLowerCase();
  const appId = flags.value("account", true);
  const role = flags.value("role", true);
  if (role !== "admin" && role !== "viewer" && role !== "none") throw usageError("--role is admin, viewer or none");
  if (!(await accountsNamed([appId]))) return 1;
  const result = await grantAccountRole(getPrisma(), { email, appId, role });
  if (!result.ok) {
    if (result.reason === "administrator") {
      return fail(
        `${email} is an administrator of mpdesk: administrators already have every account. ` +
          "To limit them to some accounts, make them a member first (Users page), then grant per account.",
      );
    }
    return fail(result.reason === "notFound" ? `No user ${email}.` : `No account with AppID ${appId}.`);
  }
  const account = describeAccount(result.account);
  console.log(result.role === "none" ? `${result.email} no longer has access to ${account}.` : `${result.email} is now ${result.role} on ${account}.`);
  return 0;
}

/** Prompted without echo in a terminal; otherwise the first line of stdin (`echo "$PW" | npm run mpdesk -- user create …`). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw usageError("no password: pass --password, pipe it on stdin, or run in a terminal to be asked");
  }
  const ask = async (prompt: string) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let prompted = false;
    out._writeToOutput = (s: string) => {
      if (!prompted) out.output.write(s); // the prompt itself; the typed characters stay hidden
      prompted = true;
    };
    const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
    rl.close();
    process.stdout.write("\n");
    return answer;
  };
  const first = await ask("Password: ");
  if ((await ask("Repeat password: ")) !== first) throw usageError("the passwords differ");
  return first;
}
