package io.jdbcsync.proxy.server;

import io.jdbcsync.proxy.protocol.Command;

/** Metric label of a command byte. */
final class CommandNames {

    private CommandNames() {
    }

    static String of(int command) {
        switch (command) {
            case Command.QUIT: return "quit";
            case Command.INIT_DB: return "init_db";
            case Command.QUERY: return "query";
            case Command.FIELD_LIST: return "field_list";
            case Command.PING: return "ping";
            case Command.STMT_PREPARE: return "stmt_prepare";
            case Command.STMT_EXECUTE: return "stmt_execute";
            case Command.STMT_SEND_LONG_DATA: return "stmt_send_long_data";
            case Command.STMT_CLOSE: return "stmt_close";
            case Command.STMT_RESET: return "stmt_reset";
            case Command.SET_OPTION: return "set_option";
            case Command.RESET_CONNECTION: return "reset_connection";
            case Command.CHANGE_USER: return "change_user";
            default: return "other";
        }
    }
}
