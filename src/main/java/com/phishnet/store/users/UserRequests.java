package com.phishnet.store.users;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.phishnet.store.credentials.CredentialRequests.CredentialInput;
import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.web.FitsLowerCased;

/** Request and response shapes of the users API, with their validation. */
public final class UserRequests {

    private UserRequests() {
    }

    public record CreateUser(
            @NotBlank @Email @Size(max = 320) @FitsLowerCased(max = 320) String email,
            @Size(max = 200) String displayName,
            @NotNull Role role,
            @Size(max = 5) List<@Valid @NotNull CredentialInput> credentials) {

        public List<CredentialInput> credentialsOrEmpty() {
            return credentials == null ? List.of() : credentials;
        }

        /** The domain of erased users' pseudonyms is reserved: no new account may take one. */
        @JsonIgnore
        @AssertTrue(message = "the domain " + ErasedAddress.DOMAIN + " is reserved for erased users")
        public boolean isEmailOutsideTheErasedDomain() {
            return !ErasedAddress.isReserved(email);
        }
    }

    public record UpdateUser(Role role, UserStatus status, @Size(max = 200) String displayName) {

        @JsonIgnore
        @AssertTrue(message = "name at least one of role, status, displayName")
        public boolean isAnyFieldGiven() {
            return role != null || status != null || displayName != null;
        }

        /** Only erasure sets ERASED: a PATCH would leave the user's data in place under an erased status. */
        @JsonIgnore
        @AssertTrue(message = "status ERASED is set only by POST /api/v1/admin/users/{id}/erasure")
        public boolean isStatusNotErased() {
            return status != UserStatus.ERASED;
        }
    }

    public record UserView(String id, String email, String displayName, Role role, UserStatus status,
            UserStatsView stats, Instant createdAt, Instant updatedAt) {

        static UserView of(User user) {
            return new UserView(user.id(), user.email(), user.displayName(), user.role(), user.status(),
                    UserStatsView.of(user.stats()), user.createdAt(), user.updatedAt());
        }
    }

    /** A user's scan counters as shown. */
    public record UserStatsView(long total, long clean, long suspicious, long malicious, Instant lastScanAt) {

        static UserStatsView of(User.UserStats stats) {
            // The validator lets a stored user lack stats; such a user has always been shown with "stats": null.
            return stats == null ? null
                    : new UserStatsView(stats.total(), stats.clean(), stats.suspicious(), stats.malicious(),
                            stats.lastScanAt());
        }
    }

    public record CreatedUser(UserView user, List<CredentialView> credentials) {
    }
}
