package dev.souq.order.repository;

import dev.souq.shared.persistence.PooledQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Accounts in PostgreSQL ({@code orders.account}), and the orders that move into one. */
@ApplicationScoped
public class AccountRepository {
  /** An account as sign-in needs it; {@code emailKey} is the email as compared. */
  public record Account(String userId, String email, String emailKey, String passwordHash) {}

  private static final String INSERT =
      "INSERT INTO orders.account (user_id, email, email_key, password_hash)"
          + " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
  private static final String BY_EMAIL =
      "SELECT user_id, email, email_key, password_hash FROM orders.account WHERE email_key = $1";
  private static final String ADOPT =
      "UPDATE orders.customer_order SET user_id = $1 WHERE user_id = $2";

  private final Pool pool;

  AccountRepository(Pool pool) {
    this.pool = pool;
  }

  /** Adds the account; false if its email (as compared) has one already. */
  public Uni<Boolean> insert(Account account) {
    return PooledQuery.execute(
            pool,
            INSERT,
            Tuple.of(account.userId(), account.email(), account.emailKey(), account.passwordHash()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The account whose email compares as {@code emailKey}; null if there is none. */
  public Uni<Account> byEmailKey(String emailKey) {
    return PooledQuery.execute(pool, BY_EMAIL, Tuple.of(emailKey))
        .map(
            rows -> {
              RowIterator<Row> found = rows.iterator();
              if (!found.hasNext()) {
                return null;
              }
              Row row = found.next();
              return new Account(
                  row.getString("user_id"),
                  row.getString("email"),
                  row.getString("email_key"),
                  row.getString("password_hash"));
            });
  }

  /** Gives the guest's orders to the account: from now on they are the account's. */
  public Uni<Integer> adoptOrders(String guestUserId, String accountUserId) {
    return PooledQuery.execute(pool, ADOPT, Tuple.of(accountUserId, guestUserId))
        .map(rows -> rows.rowCount());
  }
}
