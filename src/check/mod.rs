//! Name resolution, unit and type checking of the AST; every user mistake becomes a diagnostic here.
