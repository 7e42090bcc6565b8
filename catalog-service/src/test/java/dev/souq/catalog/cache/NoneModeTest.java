package dev.souq.catalog.cache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.shared.config.DatabaseUrl;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NoneModeTest.None.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class NoneModeTest {

  /** catalog.cache.mode=none. */
  public static class None implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("catalog.cache.mode", "none");
    }
  }

  @Test
  void alwaysReadsPostgres() throws SQLException {
    long id = Products.create("books", 10);
    given().get("/api/products/" + id).then().header("X-Cache", "BYPASS");
    // Changed behind the service's back: only a read that goes to PostgreSQL can see it.
    DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", TestStack.get().databaseUrl());
    try (Connection sql =
            DriverManager.getConnection(
                db.jdbcUrl(), db.user().orElse("postgres"), db.password().orElse(null));
        PreparedStatement rename =
            sql.prepareStatement("UPDATE catalog.product SET name = ? WHERE id = ?")) {
      rename.setString(1, "Renamed in PostgreSQL " + id);
      rename.setLong(2, id);
      assertEquals(1, rename.executeUpdate());
    }
    given()
        .get("/api/products/" + id)
        .then()
        .header("X-Cache", "BYPASS")
        .body("name", equalTo("Renamed in PostgreSQL " + id));
    given().get("/api/products").then().statusCode(200).header("X-Cache", "BYPASS");
  }
}
