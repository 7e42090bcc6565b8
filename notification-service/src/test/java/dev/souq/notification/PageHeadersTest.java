package dev.souq.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.souq.testing.Management;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The page an operator types the admin token into: nothing from elsewhere, never framed. (That the
 * page and its operator view still work under this policy is shown in Chromium by BrowserFlowIT.)
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class PageHeadersTest {

  @Test
  void thePageAndItsScriptsComeWithAStrictContentSecurityPolicy() {
    for (String path : new String[] {"/", "/index.html", "/app.js", "/style.css"}) {
      given()
          .get(path)
          .then()
          .statusCode(200)
          .header("Content-Security-Policy", containsString("default-src 'self'"))
          .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
          .header("X-Content-Type-Options", equalTo("nosniff"))
          .header("Referrer-Policy", equalTo("same-origin"));
    }
  }

  @Test
  void swaggerUiKeepsItsInlineScripts() {
    Management.given()
        .redirects()
        .follow(true)
        .get("/q/swagger-ui/")
        .then()
        .statusCode(200)
        .header("Content-Security-Policy", nullValue());
  }
}
