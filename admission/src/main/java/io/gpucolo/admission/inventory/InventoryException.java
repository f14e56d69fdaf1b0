package io.gpucolo.admission.inventory;

import java.util.List;

/**
 * An inventory file that cannot be read: every problem found, one {@code FILE:LINE:COLUMN: message} line
 * each (the message of the exception is those lines joined by newlines).
 */
public final class InventoryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InventoryException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an inventory exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One {@code FILE:LINE:COLUMN: message} line per problem, in file order. */
    public List<String> problems() {
        return problems;
    }
}
