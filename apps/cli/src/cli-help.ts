/** The help text of every command's --data-dir option. */
export const dataDirHelp = "data directory (default $XDG_DATA_HOME/xionimus, i.e. ~/.local/share/xionimus)"
