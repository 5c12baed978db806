package io.jdbcsync.internal.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random {@code SET} clauses for the tests of computed update values: one or two distinct columns,
 * each assigned an expression from a form ({@code %s} a column, the target or another one; {@code
 * %d} a small number or, one time in four, {@code large}).
 */
final class RandomSetClauses {
    private RandomSetClauses() {
    }

    static String next(Random random, String[] columns, String[] forms, long large) {
        StringBuilder set = new StringBuilder();
        List<String> assigned = new ArrayList<>();
        int count = 1 + random.nextInt(2);
        while (assigned.size() < count) {
            String target = columns[random.nextInt(columns.length)];
            if (assigned.contains(target)) {
                continue;
            }
            String form = forms[random.nextInt(forms.length)];
            String other = random.nextBoolean() ? target : columns[random.nextInt(columns.length)];
            long k = random.nextInt(4) == 0 ? large : random.nextInt(100);
            String expression = form.contains("%s + %s") ? String.format(form, target, other)
                    : form.contains("%d") ? String.format(form, other, k) : String.format(form, other);
            set.append(assigned.isEmpty() ? "" : ", ").append(target).append(" = ").append(expression);
            assigned.add(target);
        }
        return set.toString();
    }
}
