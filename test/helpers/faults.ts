import { sql } from 'kysely';
import { type Db, isPostgres } from '../../src/db/client.ts';

/**
 * Makes inserts of invites whose first name is `firstName` fail inside the database, with an
 * error message naming the invite's email address: a fault no input check can catch, so the
 * API answers 500. Returns the function that removes it.
 */
export async function failInvitesNamed(db: Db, firstName: string): Promise<() => Promise<void>> {
  const name = sql.lit(firstName);
  if (isPostgres(db)) {
    await sql`create function fail_invite() returns trigger language plpgsql as $$
      begin
        if new.first_name = ${name} then raise exception 'refused invite for %', new.email; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_invite before insert on invites
      for each row execute function fail_invite()`.execute(db);
    return async () => {
      await sql`drop trigger fail_invite on invites`.execute(db);
      await sql`drop function fail_invite()`.execute(db);
    };
  }
  await sql`create trigger fail_invite before insert on invites when new.first_name = ${name}
    begin select raise(abort, 'refused invite for ' || new.email); end`.execute(db);
  return async () => {
    await sql`drop trigger fail_invite`.execute(db);
  };
}
