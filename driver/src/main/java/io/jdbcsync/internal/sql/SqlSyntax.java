package io.jdbcsync.internal.sql;

/**
 * The lexical rules of one database's SQL: what starts a comment, which quotes delimit strings and
 * names, and whether the server runs code written inside comments. A text must be split exactly as
 * the server splits it, or a statement could hide from the capture in what we took for a comment.
 *
 * @param backslashEscapes      a backslash escapes the next character inside quotes
 * @param mysqlComments         {@code #} starts a line comment, {@code --} only when a space or
 *                              control character follows, and {@code /*! ... *}{@code /} (also
 *                              {@code /*!50000}, {@code /*M!}) is code the server runs
 * @param bracketNames          {@code [name]} is a quoted name
 */
public record SqlSyntax(boolean backslashEscapes, boolean mysqlComments, boolean bracketNames) {

    public static final SqlSyntax SQLITE = new SqlSyntax(false, false, true);
    public static final SqlSyntax MARIADB = new SqlSyntax(true, true, false);
}
