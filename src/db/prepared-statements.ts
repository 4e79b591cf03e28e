import type { Sql } from 'postgres'

/**
 * The postgres.js client as drizzle should see it: every parameterised query a named prepared
 * statement, kept on its connection.
 *
 * drizzle sends each query through postgres.js's `unsafe`, which by default prepares nothing:
 * every execution then costs PostgreSQL a parse and a plan, and the driver a round trip of its
 * own (Parse + Describe, wait for the parameter types, then Bind + Execute). On the intake path
 * that was most of the database's CPU per case and half of its round trips. A prepared statement
 * is parsed and described once per connection. It is still planned on every execution: our
 * connections set plan_cache_mode=force_custom_plan (client.ts), because a generic plan is made
 * once for a table's size at the time and a young database's tables grow fast.
 *
 * The statements a connection keeps are bounded by the texts our queries take (values are
 * parameters) and die with the connection, which postgres.js replaces after its max_lifetime
 * (30–60 min). A statement a schema change made stale is prepared again by postgres.js.
 * Queries without parameters keep the simple protocol (postgres.js's choice for them).
 */
export function withPreparedStatements<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, args?: unknown[], options?: object) =>
          // biome-ignore lint/suspicious/noExplicitAny: postgres.js types `unsafe`'s arguments per row type
          target.unsafe(query, args as any, { ...options, prepare: true })
      }
      // A transaction's (and a savepoint's) own client is another Sql: it gets the same treatment.
      if (prop === 'begin' || prop === 'savepoint') {
        const original = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown
        return (...a: unknown[]) => {
          const fn = a.pop() as (tx: Sql) => unknown
          return original.call(target, ...a, (tx: Sql) => fn(withPreparedStatements(tx)))
        }
      }
      return Reflect.get(target, prop, receiver)
    },
  })
}
