import type { Copy } from './en.ts';

/** Numbers as Latin-American Spanish writes them. */
const num = (n: number) => n.toLocaleString('es-419');

/** The built-in copy in neutral Latin-American Spanish, addressing the recipient as usted. */
export const es: Copy = {
  ourTeam: 'Nuestro equipo',
  email: {
    subject: (named) =>
      named ? '[Company] le invita a conectar su cuenta de nómina' : 'Conecte su cuenta de nómina',
    header: 'Conecte su cuenta de nómina',
    body: (named) =>
      named
        ? 'Hola, [Name]. [Company] le pidió que conecte su cuenta de nómina. Solo le tomará unos minutos.'
        : 'Hola, [Name]. Se le pidió que conecte su cuenta de nómina. Solo le tomará unos minutos.',
    button: 'Conectar su cuenta',
    reminderPrefix: 'Recordatorio: ',
    reminderBody: (named) =>
      named
        ? 'Hola, [Name]. Este es un recordatorio: [Company] le pidió que conecte su cuenta de nómina. Solo le tomará unos minutos.'
        : 'Hola, [Name]. Este es un recordatorio: se le pidió que conecte su cuenta de nómina. Solo le tomará unos minutos.',
  },
  // With á, í, ó or ú an SMS is UCS-2, 70 characters a segment, and no wording fits a company
  // name and a link in one. So these are worded with none of them (é, ñ and ¿¡ are GSM-7):
  // "ingresos" instead of "cuenta de nómina". One GSM-7 segment each with a 40-character link
  // and a company name of up to 45 characters. STOP stays the keyword Twilio honours.
  sms: {
    invite: (named) =>
      named
        ? '[Company] le pide verificar sus ingresos en [Link] Responda STOP para darse de baja.'
        : 'Se le pide verificar sus ingresos en [Link] Responda STOP para darse de baja.',
    reminder: (named) =>
      named
        ? '[Company] le recuerda: verifique sus ingresos en [Link] Responda STOP para darse de baja.'
        : 'Recordatorio: verifique sus ingresos en [Link] Responda STOP para darse de baja.',
  },
  landing: {
    header: 'Conecte su cuenta de nómina',
    subheader: (named) =>
      named
        ? '[Company] le pidió que conecte su cuenta de nómina. Solo le tomará unos minutos.'
        : 'Se le pidió que conecte su cuenta de nómina. Solo le tomará unos minutos.',
    howItWorks: 'Cómo funciona',
    steps: (named) => [
      'Busque a su empleador o proveedor de nómina.',
      'Inicie sesión con el usuario y la contraseña que usa allí.',
      named
        ? 'Sus datos de ingresos y empleo se comparten con [Company].'
        : 'Sus datos de ingresos y empleo se comparten con quien le invitó.',
    ],
    button: 'Conectar su cuenta',
  },
  success: {
    header: 'Su cuenta está conectada',
    subheader: (named) =>
      named
        ? '¡Listo! [Company] ya puede ver los datos que solicitó. Puede cerrar esta página.'
        : '¡Listo! Ya se compartieron los datos que se le solicitaron. Puede cerrar esta página.',
    connectAnother: 'Conectar otra cuenta',
  },
  layout: {
    footer: 'Protegido por invitekit Link',
    logoAlt: (company) => (company ? `Logotipo de ${company}` : 'Logotipo de la empresa'),
  },
  items: {
    title: 'Busque a su empleador',
    heading: 'Busque a su empleador o proveedor de nómina',
    searchLabel: 'Busque empleadores, plataformas de nómina y apps de trabajo',
    search: 'Buscar',
    noMatch: (query) => `Ningún empleador ni proveedor de nómina coincide con “${query}”.`,
    kinds: {
      employer: 'empleador',
      'payroll platform': 'plataforma de nómina',
      gig: 'app de trabajo',
    },
    othersHeading: '¿No puede iniciar sesión?',
    others: [
      'En su lugar, puede',
      'subir un documento',
      ', como un recibo de pago, o',
      'responder algunas preguntas',
      ' sobre su trabajo.',
    ],
  },
  login: {
    title: (item) => `Inicie sesión en ${item}`,
    lead: (item) => `Use el usuario y la contraseña que usa en ${item}.`,
    username: 'Usuario',
    password: 'Contraseña',
    button: 'Conectar',
    sandboxSummary: 'Credenciales de prueba',
    sandboxHint:
      'Usuario `test_1`, `test_2`\no `test_3`, contraseña `passgood`; luego, el código de verificación `8081`,\n`8082` o `8083`.',
    back: 'Elegir otro empleador',
    wrongCredentials: 'El usuario o la contraseña no son correctos. Revíselos e intente de nuevo.',
  },
  verify: {
    title: 'Ingrese su código de verificación',
    lead: (item) => `${item} le envió un código para confirmar que es usted.`,
    label: 'Código de verificación',
    button: 'Verificar',
    wrongCode: 'El código no coincide. Revíselo e intente de nuevo.',
  },
  upload: {
    title: 'Suba un documento',
    lead: (company) =>
      company
        ? `Un recibo de pago reciente, un formulario W-2 o una carta de oferta le muestra a ${company} sus ingresos y su empleador.`
        : 'Un recibo de pago reciente, un formulario W-2 o una carta de oferta muestra sus ingresos y su empleador.',
    label: 'Documento',
    button: 'Subir',
    each: (mb) => `PDF o imagen, de hasta ${num(mb)} MB cada uno.`,
    room: (files, mb) => `Puede subir hasta ${files} documentos, ${num(mb)} MB en total.`,
    left: (files, mb) =>
      `Puede subir ${files === 1 ? '1 documento más' : `${files} documentos más`}, ${num(mb)} MB en total.`,
    missing: 'Elija un archivo para subir.',
    tooLarge: (mb) => `El archivo es demasiado grande. Elija uno de menos de ${num(mb)} MB.`,
    back: 'Volver e iniciar sesión',
  },
  form: {
    title: 'Cuéntenos sobre su trabajo',
    lead: (company) =>
      company
        ? `${company} se comunicará con usted si necesita más información.`
        : 'Se comunicarán con usted si se necesita más información.',
    employer: 'Nombre del empleador',
    jobTitle: 'Cargo',
    payFrequency: '¿Con qué frecuencia le pagan?',
    frequencies: {
      weekly: 'cada semana',
      'every two weeks': 'cada dos semanas',
      'twice a month': 'dos veces al mes',
      monthly: 'cada mes',
    },
    monthlyIncome: 'Ingreso mensual antes de impuestos (USD)',
    button: 'Enviar respuestas',
    missingEmployer: 'Ingrese el nombre de su empleador.',
    back: 'Volver e iniciar sesión',
  },
  received: {
    title: 'Gracias, recibimos sus respuestas',
    lead: (company) =>
      `${company ? `${company} ya las recibió.` : 'Ya se recibieron.'} Conectar también su cuenta de nómina es la forma más rápida de terminar.`,
    button: 'Conectar una cuenta',
  },
  problems: (l) => ({
    not_found: {
      title: 'No encontramos esta página',
      text: 'Revise que el enlace esté completo o pida uno nuevo a quien se lo envió.',
    },
    expired: {
      title: 'Esta invitación ha vencido',
      text: 'El enlace ya no está activo. Si aún necesita conectar su cuenta, pida a quien le invitó que le envíe una nueva invitación.',
    },
    inactive: {
      title: 'No se requiere ninguna acción',
      text: 'Este enlace no está activo en este momento. No es necesario que haga nada.',
    },
    unauthorized: {
      title: 'Este enlace ya no es válido',
      text: 'La sesión venció o el enlace está incompleto. Vuelva a la aplicación que lo abrió e intente de nuevo.',
    },
    forbidden: {
      title: 'Esta página ha vencido',
      text: 'Por su seguridad, no se pudo enviar el formulario. Vuelva atrás, recargue la página e intente de nuevo.',
    },
    bad_request: {
      title: 'Algo no funcionó',
      text: 'La página no pudo procesar lo que se envió. Vuelva atrás, recargue la página e intente de nuevo.',
    },
    too_large: {
      title: 'El archivo es demasiado grande',
      text: 'Vuelva atrás y elija un archivo más pequeño.',
    },
    completed: {
      title: 'Esta invitación ya está completa',
      text: 'Ya tenemos lo que necesitamos, así que no hace falta subir nada más aquí. Puede cerrar esta página.',
    },
    upload_files_full: {
      title: 'Ya subió todos los documentos que podemos recibir',
      text: `Cada invitación admite hasta ${l.files} documentos y ya los recibimos todos. Si necesita enviar más, comuníquese con quien le invitó.`,
    },
    upload_bytes_full: {
      title: 'Eso supera lo que podemos recibir',
      text: `Cada invitación admite hasta ${num(l.totalMb)} MB de documentos en total, y este archivo superaría ese límite. Vuelva atrás y elija un archivo más pequeño, o comuníquese con quien le invitó.`,
    },
    too_many_uploads: {
      title: 'Demasiados archivos en poco tiempo',
      text: `Cada invitación admite hasta ${l.perMinute} archivos por minuto. Espere dos minutos, vuelva atrás e intente de nuevo.`,
    },
    busy: {
      title: 'Estamos un poco ocupados',
      text: 'No se perdió nada. Espere unos segundos, vuelva atrás e intente de nuevo.',
    },
    storage_full: {
      title: 'No pudimos guardar la información',
      text: 'No se guardó nada. Intente de nuevo más tarde.',
    },
    error: { title: 'Algo salió mal', text: 'Intente de nuevo en un momento.' },
  }),
};
