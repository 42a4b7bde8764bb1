# Redress: lo que leen los administradores al configurar la organización, en español.
