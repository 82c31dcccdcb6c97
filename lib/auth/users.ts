import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { userEmails, users } from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";

export interface ViewerEmail {
  email: string;
  verified: boolean;
}

/** The signed-in person as the guard sees them: always reloaded from the database. */
export interface Viewer {
  id: string;
  displayName: string;
  isSuperuser: boolean;
  emails: ViewerEmail[];
  /** Lower-cased verified addresses: the only ones that can grant a list role. */
  verifiedEmails: string[];
  /** The verified primary address: the one chosen, else the first verified one; null without any. */
  primaryEmail?: string | null;
}

export const emailSchema = z.email("Enter a valid email address.").transform((e) => e.trim().toLowerCase());

export const newUserSchema = z.object({
  email: emailSchema,
  password: z.string().min(MIN_PASSWORD_LENGTH, `Passwords have at least ${MIN_PASSWORD_LENGTH} characters.`).optional(),
  displayName: z.string().trim().max(200).default(""),
  superuser: z.boolean().default(false),
  verified: z.boolean().default(true),
});
export type NewUser = z.input<typeof newUserSchema>;

export async function createUser(input: NewUser): Promise<{ id: string }> {
  const data = newUserSchema.parse(input);
  const db = await getDb();
  const existing = await db.select({ id: userEmails.id }).from(userEmails).where(eq(userEmails.email, data.email));
  if (existing.length > 0) throw new ConflictError(`An account with ${data.email} already exists.`, { field: "email" });
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ displayName: data.displayName, passwordHash, isSuperuser: data.superuser })
      .returning({ id: users.id });
    if (!user) throw new Error("insert returned no row");
    await tx.insert(userEmails).values({
      userId: user.id,
      email: data.email,
      verified: data.verified,
      verifiedAt: data.verified ? new Date() : null,
      isPrimary: true,
    });
    return user;
  });
}

export async function setPassword(userId: string, password: string): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ passwordHash: await hashPassword(password), updatedAt: new Date() }).where(eq(users.id, userId));
}

export async function findCredentialsByEmail(email: string) {
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, disabled: users.disabled })
    .from(userEmails)
    .innerJoin(users, eq(users.id, userEmails.userId))
    .where(eq(userEmails.email, email.trim().toLowerCase()));
  return row ?? null;
}

const accountIdSchema = z.uuid();

export async function loadViewer(userId: string): Promise<Viewer | null> {
  if (!accountIdSchema.safeParse(userId).success) return null;
  const db = await getDb();
  const rows = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      isSuperuser: users.isSuperuser,
      disabled: users.disabled,
      email: userEmails.email,
      verified: userEmails.verified,
      primary: userEmails.isPrimary,
    })
    .from(users)
    .leftJoin(userEmails, eq(userEmails.userId, users.id))
    .where(eq(users.id, userId));
  const first = rows[0];
  if (!first || first.disabled) return null;
  const emails = rows.flatMap((r) => (r.email ? [{ email: r.email, verified: Boolean(r.verified) }] : []));
  emails.sort((a, b) => a.email.localeCompare(b.email));
  const verified = emails.filter((e) => e.verified);
  const chosen = rows.find((r) => r.primary && r.verified)?.email;
  return {
    id: first.id,
    displayName: first.displayName,
    isSuperuser: first.isSuperuser,
    emails,
    verifiedEmails: verified.map((e) => e.email),
    primaryEmail: chosen ?? verified[0]?.email ?? null,
  };
}
