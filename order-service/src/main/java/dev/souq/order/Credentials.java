package dev.souq.order;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A sign-up's or sign-in's body. A password of 8 to 72 characters (and at most 72 bytes, bcrypt's
 * limit), never printed: {@link #toString} leaves it out.
 */
public record Credentials(
    @NotBlank @Email @Size(max = 254) String email,
    @NotNull @Size(min = 8, max = 72) String password) {

  @Override
  public String toString() {
    return "Credentials[email=" + email + ", password=***]";
  }
}
