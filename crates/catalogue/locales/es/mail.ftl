## Correo a los clientes. Cada correo es un mensaje de abajo; los administradores pueden cambiar su redacción.

mail-subject = { $organisation } [{ $reference }]
mail-greeting-name = Estimado/a { $name }:
mail-greeting = Hola:

mail-acknowledgement =
    { $greeting }

    { $acknowledgement }

    Su enlace privado, la única llave de su caso (guárdelo y no lo comparta): { $link }
    También puede responder a este correo: su respuesta llega directamente a su caso.

    { $signature }

mail-reply-footer =
    Su caso { $reference }: { $link }
    Responda a este correo o escriba en la página de su caso.

mail-resolution-proposed =
    { $greeting }

    Esto es lo que le proponemos para arreglarlo:

    { $proposal }

    ¿Lo arregla para usted? Díganos que sí, o qué lo arreglaría en su lugar, aquí: { $link }
    También puede responder a este correo.

    { $signature }

mail-follow-up =
    { $greeting }

    Su caso { $reference } está resuelto. Antes de cerrarlo, tres preguntas, para saber si de verdad lo arreglamos:

    1. ¿Salió todo como esperaba?
    2. ¿Cumplimos lo que prometimos?
    3. ¿Estuvimos a la altura de lo que esperaba?

    Puede responderlas aquí, en un minuto: { $link }
    Un «no» a cualquiera de ellas reabre su caso, y lo retomamos.

    { $signature }

mail-signature-person =
    { $who }
    { $organisation }
mail-signature-team = { $organisation }
