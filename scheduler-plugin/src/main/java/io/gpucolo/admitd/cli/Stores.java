package io.gpucolo.admitd.cli;

import io.gpucolo.admission.policy.Policy;
import io.gpucolo.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the store the policy names ({@code admitd.database_url}, user, password file). */
final class Stores {
    private Stores() {
    }

    static Store open(Policy policy) throws IOException {
        Policy.Admitd a = policy.admitd();
        String password = a.databasePasswordFile().isEmpty() ? ""
                : Files.readString(Path.of(a.databasePasswordFile()), StandardCharsets.UTF_8).strip();
        return Store.open(a.databaseUrl(), a.databaseUser(), password);
    }
}
