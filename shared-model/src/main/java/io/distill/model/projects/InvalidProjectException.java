package io.distill.model.projects;

import java.util.List;

/** A project definition that cannot be used: every problem found, each one sentence. */
public class InvalidProjectException extends RuntimeException {
    private final List<String> problems;

    public InvalidProjectException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
